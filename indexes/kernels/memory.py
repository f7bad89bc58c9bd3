"""A software prefetch for kernels that read a large array at scattered places.

The candidate kernel follows the pair postings (_gather_candidates_kernel) into the token
postings, a 56 MB array on the 1M-person load list, at one unpredictable place per entry:
each read may wait for memory. Asking for the entries a few steps ahead lets those waits
overlap. Numba has no prefetch, so this is LLVM's `llvm.prefetch` intrinsic (a hint: it
never faults and changes no result).
"""

from __future__ import annotations

import llvmlite.ir as ir
from numba.core import cgutils, types
from numba.extending import intrinsic


@intrinsic
def prefetch(typingctx, arr, index):
    """prefetch(arr, index): ask for the cache line of arr[index] (read, keep in all cache
    levels). arr: a 1-D array; index: an integer within its bounds (not checked: a hint
    needs no bounds, but a caller that computes a wrong index wastes the hint)."""
    if not isinstance(arr, types.Array) or arr.ndim != 1 or not isinstance(index, types.Integer):
        return None
    sig = types.void(arr, index)

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        array = context.make_array(array_type)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, array_type, array, [args[1]],
                                       wraparound=False)
        byte_ptr = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [byte_ptr, i32, i32, i32]),
            "llvm.prefetch.p0")
        # (address, 0: read, 3: keep in every cache level, 1: data)
        builder.call(fn, [builder.bitcast(ptr, byte_ptr), ir.Constant(i32, 0),
                          ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return sig, codegen
