from __future__ import annotations

from pathlib import Path

import pytest

from screening.errors import InvalidArgument
from screening.settings import Settings, load_settings


def test_embedded_defaults():
    s = load_settings({})
    assert s.data_dir == Path("data") and s.port == 50051 and s.host == "127.0.0.1"
    assert s.possible_match_threshold < s.hit_threshold


def test_environment_overrides_are_typed():
    s = load_settings({"SCREENING_PORT": "6000", "SCREENING_HIT_THRESHOLD": "0.95",
                       "SCREENING_DATA_DIR": "/tmp/x",
                       "SCREENING_CUSRES_CODES": "CLEAR=0Z,HIT=1Z"})
    assert (s.port, s.hit_threshold, s.data_dir) == (6000, 0.95, Path("/tmp/x"))
    assert s.cusres_codes == {"CLEAR": "0Z", "HIT": "1Z"}


@pytest.mark.parametrize("env,field", [
    ({"SCREENING_PORT": "abc"}, "SCREENING_PORT"),
    ({"SCREENING_HIT_THRESHOLD": "0.5"}, "hit_threshold"),
    ({"SCREENING_MAX_MANIFEST_PASSENGERS": "0"}, "max_manifest_passengers"),
    ({"SCREENING_FOLLOWUP_BACKEND": "kafka"}, "followup_backend"),
])
def test_invalid_settings_are_refused_at_start(env, field):
    with pytest.raises(InvalidArgument) as err:
        load_settings(env)
    assert err.value.field == field


def test_overrides_from_flags():
    s = Settings().with_overrides(port=7000, data_dir="/srv/data", host=None)
    assert s.port == 7000 and s.data_dir == Path("/srv/data") and s.host == "127.0.0.1"
