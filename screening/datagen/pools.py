"""Embedded name pools, one entry per culture. Data only; parsing lives in `cultures.py`.

Entry syntax (entries separated by commas or newlines):
    Latin[=native][/variant/variant...]
- `native` is the form in the culture's own script when it cannot be derived by rule
  (Arabic/Persian script, hanzi, kana/kanji, hangul surnames).  Cyrillic and Greek forms are
  derived by rule from the Latin (see `script.py`), CJK given names from their syllables.
- `variants` are real-world alternative romanisations of the same name.
- For Chinese and Korean given names the Latin is written syllable-hyphenated ("Xiao-ming");
  the canonical form joins them ("Xiaoming"), spaced/hyphenated spellings become variants.
"""

from __future__ import annotations

# (code, weight, script, given-name tokens distribution, nationalities with weights)
# Weights are a rough mix of who appears on international wanted/sanctions lists.
CULTURE_META: dict[str, dict] = {
    "english": {"weight": 7, "script": None, "nat": "GBR:4 USA:6 CAN:1 AUS:1 IRL:1 NZL:0.5"},
    "spanish": {"weight": 12, "script": None,
                "nat": "ESP:3 MEX:4 COL:3 ARG:2 VEN:2 PER:1 CHL:1 ECU:1 GTM:1 CUB:1 DOM:1 BOL:0.5 HND:1 SLV:1"},
    "portuguese": {"weight": 5, "script": None, "nat": "BRA:6 PRT:2 AGO:1 MOZ:0.5 CPV:0.3"},
    "french": {"weight": 5, "script": None, "nat": "FRA:6 BEL:1.5 CHE:0.7 CAN:0.7 LUX:0.2 HTI:0.5"},
    "german": {"weight": 4, "script": None, "nat": "DEU:6 AUT:1.5 CHE:1"},
    "italian": {"weight": 4, "script": None, "nat": "ITA:9 CHE:0.5 SMR:0.1"},
    "turkish": {"weight": 5, "script": None, "nat": "TUR:9 CYP:0.3 AZE:0.5"},
    "polish": {"weight": 3, "script": None, "nat": "POL:1"},
    "arabic": {"weight": 14, "script": "arab",
               "nat": "EGY:3 SAU:2 IRQ:3 SYR:3 JOR:1 LBN:1 LBY:1 DZA:2 MAR:2 TUN:1 YEM:1 ARE:0.5 KWT:0.5 QAT:0.3 SDN:1 PSE:0.5"},
    "persian": {"weight": 4, "script": "arab", "nat": "IRN:8 AFG:2"},
    "east_slavic": {"weight": 8, "script": "cyrl", "nat": "RUS:6 UKR:3 BLR:1"},
    "central_asian": {"weight": 5, "script": "cyrl", "nat": "UZB:4 KAZ:2 TJK:2 KGZ:1 TKM:0.5"},
    "chinese": {"weight": 6, "script": "hani", "nat": "CHN:8 TWN:1 HKG:1 SGP:0.5 MYS:0.5"},
    "greek": {"weight": 2, "script": "grek", "nat": "GRC:5 CYP:1"},
    "west_african": {"weight": 5, "script": None, "nat": "NGA:6 GHA:2 SLE:0.5 LBR:0.5"},
    "indian": {"weight": 5, "script": None, "nat": "IND:9 NPL:0.5"},
    "japanese": {"weight": 1.5, "script": "jpan", "nat": "JPN:1"},
    "korean": {"weight": 1.5, "script": "hang", "nat": "KOR:9 PRK:1"},
    "vietnamese": {"weight": 2, "script": None, "nat": "VNM:1"},
}

MALE: dict[str, str] = {}
FEMALE: dict[str, str] = {}
SURNAMES: dict[str, str] = {}

MALE["english"] = """James, John/Jon, Robert, Michael, William, David, Richard, Joseph, Thomas, Charles,
Christopher, Daniel, Matthew, Anthony, Mark, Donald, Steven/Stephen, Paul, Andrew, Joshua, Kenneth,
Kevin, Brian/Bryan, George, Timothy, Ronald, Edward, Jason, Jeffrey/Geoffrey, Ryan, Gary, Jacob,
Nicholas, Eric/Erik, Jonathan, Justin, Scott, Sean/Shaun"""
FEMALE["english"] = """Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah/Sara,
Karen, Lisa, Nancy, Betty, Margaret, Sandra, Ashley, Kimberly, Emily, Donna, Michelle, Carol,
Amanda, Dorothy, Melissa, Deborah, Stephanie, Rebecca, Sharon, Laura, Cynthia, Katherine/Catherine"""
SURNAMES["english"] = """Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor,
Thomas, Moore, Jackson, Martin, Lee, Thompson, White, Harris, Clark, Lewis, Robinson, Walker,
Young, Allen, King, Wright, Scott, Hill, Green, Adams, Baker, Nelson, Carter, Mitchell, Roberts,
Turner, Phillips, Campbell, Parker, Evans, Edwards, Collins, Stewart/Stuart, Morris, Murphy, Cook,
Rogers, Morgan, Cooper, Peterson, Reed, Bailey, Bell, Kelly, Howard, Ward, Cox, Richardson, Wood,
Watson, Brooks, Gray/Grey, Hughes, O'Brien, O'Connor, MacDonald/McDonald, McCarthy"""

MALE["spanish"] = """José/Jose, Juan, Luis, Carlos, Jorge, Francisco, Antonio, Manuel, Pedro, Miguel,
Alejandro, Fernando, Ricardo, Javier/Xavier, Rafael, Sergio, Andrés, Diego, Eduardo, Roberto,
Raúl, Pablo, Héctor/Hector, Alberto, Gustavo, Óscar/Oscar, Víctor/Victor, Hugo, Ramón, Joaquín,
Ernesto, Guillermo, Enrique, Álvaro, Rodrigo, Jesús"""
FEMALE["spanish"] = """María/Maria, Carmen, Ana, Isabel, Laura, Lucía, Marta, Elena, Rosa, Patricia,
Gabriela, Adriana, Sofía/Sofia, Valentina, Daniela, Camila, Paula, Claudia, Verónica, Alejandra,
Mónica, Beatriz, Teresa, Pilar, Dolores, Guadalupe, Rocío, Silvia, Natalia, Andrea"""
SURNAMES["spanish"] = """García, Rodríguez, González, Fernández, López, Martínez, Sánchez, Pérez,
Gómez, Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Álvarez, Muñoz, Romero, Alonso, Gutiérrez,
Navarro, Torres, Domínguez, Vázquez/Vásquez, Ramos, Gil, Ramírez, Serrano, Blanco, Suárez, Molina,
Morales, Ortega, Delgado, Castro, Ortiz, Rubio, Marín, Sanz, Núñez, Iglesias, Medina, Garrido,
Cortés, Castillo, Santos, Lozano, Guerrero, Cano, Prieto, Méndez, Cruz, Calvo, Gallego, Vidal,
León, Herrera, Márquez, Peña, Flores, Cabrera, Campos, Vega, Fuentes, Carrasco, Aguilar, Zapata,
Escobar, Guzmán, Mendoza"""

MALE["portuguese"] = """João/Joao, José, António/Antonio, Francisco, Carlos, Paulo, Pedro, Lucas, Luiz/Luis,
Marcos, Luís, Gabriel, Rafael, Daniel, Marcelo, Bruno, Eduardo, Felipe/Filipe, Raimundo, Rodrigo,
Manuel, Mateus, André, Fernando, Fábio, Leonardo, Gustavo, Guilherme, Ricardo, Tiago/Thiago,
Sebastião, Vítor/Victor"""
FEMALE["portuguese"] = """Maria, Ana, Francisca, Antônia/Antónia, Adriana, Juliana, Márcia, Fernanda,
Patrícia, Aline, Sandra, Camila, Amanda, Bruna, Jéssica, Letícia, Júlia, Luciana, Vanessa,
Mariana, Gabriela, Vera, Vitória, Larissa, Cláudia, Beatriz, Rita, Inês/Ines, Conceição, Raquel"""
SURNAMES["portuguese"] = """Silva, Santos, Oliveira, Souza/Sousa, Rodrigues, Ferreira, Alves, Pereira, Lima,
Gomes, Costa, Ribeiro, Martins, Carvalho, Almeida, Lopes, Soares, Fernandes, Vieira, Barbosa,
Rocha, Dias, Nascimento, Andrade, Moreira, Nunes, Marques, Machado, Mendes, Freitas, Cardoso,
Ramos, Gonçalves, Santana, Teixeira, Araújo, Pinto, Correia, Monteiro, Cavalcanti, Moura, Castro,
Campos, Coelho, Batista, Azevedo, Medeiros, Reis, Cunha, Magalhães/Magalhaes, Brandão, Figueiredo,
Tavares, Pires, Sá, Matos, Fonseca, Barros, Guimarães, Xavier"""

MALE["french"] = """Jean, Pierre, Michel, André, Philippe, Alain, Jacques, Bernard, Éric/Eric, Nicolas,
Christophe, Patrick, Daniel, Laurent, Frédéric, Stéphane, Sébastien, Julien, François, Olivier,
Thierry, Pascal, Vincent, David, Thomas, Mathieu/Matthieu, Guillaume, Antoine, Maxime, Hugo,
Benoît, Jérôme, Yves"""
FEMALE["french"] = """Marie, Nathalie, Isabelle, Sylvie, Catherine, Françoise, Christine, Monique,
Valérie, Sandrine, Sophie, Céline, Stéphanie, Véronique, Nicole, Julie, Aurélie, Camille, Émilie,
Laetitia/Lætitia, Élodie, Chloé, Manon, Léa, Inès, Hélène, Brigitte, Anne, Chantal, Geneviève"""
SURNAMES["french"] = """Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau,
Simon, Laurent, Lefebvre/Lefèvre, Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, Morel,
Girard, André, Lefèvre, Mercier, Dupont, Lambert, Bonnet, François, Martinez, Legrand, Garnier,
Faure, Rousseau, Blanc, Guérin, Muller, Henry, Roussel, Nicolas, Perrin, Morin, Mathieu, Clément,
Gauthier/Gautier, Dumont, Lopez, Fontaine, Chevalier, Robin, Masson, Sanchez, Gérard, Nguyen, Boyer,
Denis, Lemaire, Duval, Joly, Gaillard, Brunet, Benoît, Chevallier"""

MALE["german"] = """Peter, Wolfgang, Michael, Klaus, Thomas, Jürgen, Andreas, Hans, Uwe, Günter/Günther,
Stefan/Stephan, Frank, Christian, Werner, Bernd, Horst, Dieter, Helmut, Manfred, Matthias, Jörg,
Ralf/Ralph, Sven, Markus/Marcus, Torsten/Thorsten, Lukas/Lucas, Jonas, Maximilian, Florian, Tobias,
Björn, Dirk, Heinz"""
FEMALE["german"] = """Ursula, Monika, Petra, Sabine, Renate, Helga, Karin, Brigitte, Ingrid, Erika,
Andrea, Gisela, Claudia, Susanne, Gabriele, Christa, Birgit, Jutta, Heike, Anja, Katrin/Kathrin,
Lena, Hannah/Hanna, Lea, Sophie, Gudrun, Bärbel, Dörte, Käthe, Annegret"""
SURNAMES["german"] = """Müller, Schmidt/Schmitt, Schneider, Fischer, Weber, Meyer/Meier/Maier, Wagner,
Becker, Schulz, Hoffmann/Hofmann, Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann,
Schwarz, Zimmermann, Braun, Krüger, Hartmann, Lange, Werner, Schmitz, Krause, Meier, Lehmann,
Schmid, Schulze, Maier, Köhler, Herrmann, König, Walter, Mayer, Huber, Kaiser, Fuchs, Peters,
Lang, Scholz, Möller, Weiß/Weiss, Jung, Hahn, Schubert, Vogel, Friedrich, Keller, Günther, Frank,
Berger, Winkler, Roth, Beck, Lorenz, Baumann, Franke, Albrecht, Schuster, Simon, Böhm, Winter,
Kraus, Martin, Schumacher, Krämer, Vogt, Stein, Jäger, Otto, Groß/Gross, Sommer, Seidel, Heinrich"""

MALE["italian"] = """Giuseppe, Giovanni, Antonio, Mario, Luigi, Francesco, Angelo, Vincenzo, Pietro,
Salvatore, Carlo, Franco, Domenico, Bruno, Paolo, Michele, Giorgio, Aldo, Sergio, Luciano,
Stefano, Alessandro, Andrea, Marco, Matteo, Lorenzo, Davide, Riccardo, Federico, Gianluca,
Massimo, Roberto, Fabio, Nicola"""
FEMALE["italian"] = """Maria, Anna, Giuseppina, Rosa, Angela, Giovanna, Teresa, Lucia, Carmela, Caterina,
Francesca, Antonietta, Carla, Elena, Concetta, Rita, Margherita, Franca, Paola, Giulia, Chiara,
Sara, Martina, Alessia, Federica, Valentina, Silvia, Laura, Simona, Roberta, Ilaria"""
SURNAMES["italian"] = """Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco,
Bruno, Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri,
Fontana, Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli, Martini, Leone, Longo, Gentile,
Martinelli, Vitale, Lombardo, Serra, Coppola, De Santis, D'Angelo/De Angelo, Marchetti, Parisi,
Villa, Conte, Ferraro, Ferri, Fabbri, Bianco, Marini, Grasso, Valentini, Messina, Sala, De Angelis,
Gatti, Pellegrini, Palumbo, Sanna, Farina, Rizzi, Monti, Cattaneo, Morelli, Amato, Silvestri,
Mazza, Testa, Grassi, Pellegrino, Carbone, Giuliani, Benedetti, Barone, Rossetti, Caputo, Montanari,
Guerra, Palmieri, Bernardi, Martino, Fiore, De Rosa, Ferretti"""

MALE["turkish"] = """Mehmet/Mehmed, Mustafa, Ahmet/Ahmed, Ali, Hüseyin/Huseyin, Hasan, İbrahim/Ibrahim,
İsmail/Ismail, Osman, Yusuf, Murat, Ömer/Omer, Ramazan, Halil, Süleyman/Suleyman, Abdullah, Mahmut,
Salih, Recep, Kemal, Emre, Burak, Serkan, Fatih, Volkan, Hakan, Cem, Oğuz/Oguz, Uğur/Ugur, Tolga,
Can, Erdoğan"""
FEMALE["turkish"] = """Fatma, Ayşe/Ayse, Emine, Hatice, Zeynep, Elif, Meryem, Şerife, Zehra, Sultan,
Hanife, Merve, Havva, Zeliha, Esra, Fadime, Özlem, Hacer, Yasemin, Hülya, Derya, Gül, Büşra, Sevgi,
Leyla, Dilek, Ebru, Gülsüm, Cansu, Tuğba, Kübra"""
SURNAMES["turkish"] = """Yılmaz/Yilmaz, Kaya, Demir, Şahin/Sahin, Çelik/Celik, Yıldız/Yildiz, Yıldırım, Öztürk,
Aydın/Aydin, Özdemir, Arslan/Aslan, Doğan/Dogan, Kılıç/Kilic, Aslan, Çetin, Kara, Koç/Koc, Kurt,
Özkan, Şimşek, Polat, Özcan, Korkmaz, Çakır, Erdoğan, Yavuz, Can, Acar, Şen, Aktaş, Güler,
Yalçın, Güneş, Bozkurt, Bulut, Keskin, Ünal, Turan, Gül, Özer, Işık, Kaplan, Avcı, Sarı, Tekin,
Taş, Köse, Yüksel, Ateş, Aksoy, Yiğit, Uçar, Karataş, Tunç, Çiftçi, Bayram, Erdem, Duman, Kocabaş,
Özgür, Toprak, Altun, Coşkun"""

MALE["polish"] = """Piotr, Krzysztof, Andrzej, Tomasz, Paweł/Pawel, Jan, Michał/Michal, Marcin, Jakub,
Adam, Marek, Łukasz/Lukasz, Grzegorz, Mateusz, Wojciech, Mariusz, Dariusz, Zbigniew, Maciej,
Jerzy, Rafał, Robert, Kamil, Józef/Jozef, Ryszard, Tadeusz, Stanisław, Kazimierz, Sławomir,
Przemysław, Bartosz, Szymon"""
FEMALE["polish"] = """Anna, Katarzyna, Maria, Małgorzata, Agnieszka, Barbara, Ewa, Krystyna, Elżbieta,
Magdalena, Joanna, Zofia, Aleksandra, Monika, Teresa, Danuta, Natalia, Karolina, Marta, Beata,
Dorota, Halina, Jadwiga, Jolanta, Iwona, Grażyna, Alicja, Justyna, Paulina, Urszula, Bożena"""
SURNAMES["polish"] = """Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński,
Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Wojciechowski, Kwiatkowski, Krawczyk,
Kaczmarek, Piotrowski, Grabowski, Zając, Pawłowski, Michalski, Król, Wieczorek, Jabłoński, Wróbel,
Nowakowski, Majewski, Olszewski, Stępień, Malinowski, Jaworski, Adamczyk, Dudek, Nowicki, Pawlak,
Górski, Witkowski, Walczak, Sikora, Baran, Rutkowski, Michalak, Szewczyk, Ostrowski, Tomaszewski,
Pietrzak, Zalewski, Wróblewski, Marciniak, Jasiński, Zawadzki, Bąk, Jakubowski, Sadowski, Duda,
Włodarczyk, Wilk, Chmielewski, Borkowski, Sokołowski, Szczepański, Sawicki, Lis, Kucharski"""

MALE["arabic"] = """Muhammad=محمد/Mohammed/Mohamed/Muhamad/Mohammad/Mohamad, Ahmad=أحمد/Ahmed/Ahmet,
Ali=علي, Omar=عمر/Umar, Yusuf=يوسف/Youssef/Yousef/Yousif/Youssouf, Ibrahim=إبراهيم/Ebrahim/Brahim,
Abdullah=عبد الله/Abdallah/Abdulla/Abd Allah, Khalid=خالد/Khaled, Hassan=حسن/Hasan,
Hussein=حسين/Husayn/Hussain/Hocine/Houssein, Mahmoud=محمود/Mahmud/Mahmood,
Mustafa=مصطفى/Mostafa/Moustafa, Abdulrahman=عبد الرحمن/Abderrahmane/Abdul Rahman/Abdelrahman,
Said=سعيد/Saeed/Sayed, Karim=كريم/Kareem, Tariq=طارق/Tarek/Tarik, Walid=وليد/Waleed/Oualid,
Nabil=نبيل/Nabeel, Samir=سمير/Sameer, Jamal=جمال/Gamal/Djamel, Faisal=فيصل/Faysal/Fayssal,
Hamza=حمزة/Hamzah, Bilal=بلال, Anas=أنس, Osama=أسامة/Usama/Oussama, Ayman=أيمن/Aymen,
Salah=صلاح/Salaheddine, Adel=عادل/Adil, Rashid=رشيد/Rachid/Rasheed, Abdelaziz=عبد العزيز/Abdulaziz/Abdul Aziz,
Ismail=إسماعيل/Ismael/Smail, Zakaria=زكريا/Zakariya/Zakariyya, Nasser=ناصر/Nasir/Naser,
Sulaiman=سليمان/Suleiman/Slimane/Sulayman"""
FEMALE["arabic"] = """Fatima=فاطمة/Fatma/Fatimah, Aisha=عائشة/Aicha/Ayesha/Aysha, Maryam=مريم/Mariam/Meriem,
Khadija=خديجة/Khadidja/Khadeeja, Zainab=زينب/Zeinab/Zaynab, Amina=أمينة/Aminah/Ameena,
Nour=نور/Noor/Nur, Layla=ليلى/Leila/Laila, Salma=سلمى, Huda=هدى/Houda, Yasmin=ياسمين/Yasmine/Jasmin,
Samira=سميرة/Sameera, Hana=هناء/Hanaa, Rania=رانيا, Mona=منى/Muna, Nadia=نادية/Nadiya,
Asma=أسماء/Asmaa, Sara=سارة/Sarah, Reem=ريم/Rim, Dina=دينا, Lina=لينا, Rasha=رشا, Amal=أمل,
Hind=هند, Iman=إيمان/Eman, Safiya=صفية/Safia, Samar=سمر, Ghada=غادة, Nawal=نوال, Wafa=وفاء/Wafaa"""
SURNAMES["arabic"] = """Al-Masri=المصري/Masri, Al-Ahmad=الأحمد, Haddad=حداد, Khalil=خليل, Hussein=حسين/Husayn/Hussain,
Ibrahim=إبراهيم, Abdallah=عبد الله/Abdullah, Qaddafi=القذافي/Gaddafi/Kadhafi/Gadhafi/Qadhafi,
Al-Baghdadi=البغدادي, Al-Tikriti=التكريتي, Mansour=منصور/Mansur, Nasser=ناصر/Nasir, Saleh=صالح/Salih,
Hamdan=حمدان, Al-Shami=الشامي/Chami, Al-Hashimi=الهاشمي/Hashemi, Barakat=بركات, Darwish=درويش/Darwich,
Farouk=فاروق/Faruq, Ghanem=غانم/Ghanim, Habib=حبيب, Jaber=جابر/Jabir, Karam=كرم, Mahfouz=محفوظ/Mahfuz,
Al-Najjar=النجار/Najjar/Najar, Othman=عثمان/Osman/Uthman, Qasim=قاسم/Kassem/Qassem/Kasim,
Rahman=رحمن, Saad=سعد, Taha=طه, Yassin=ياسين/Yacine/Yasin, Zaki=زكي, Bakr=بكر, Awad=عوض,
Al-Zawahiri=الظواهري/Zawahri, Bin Laden=بن لادن/Ben Laden/Binladin, Al-Qahtani=القحطاني/Kahtani,
Al-Otaibi=العتيبي/Al-Utaybi, Al-Ghamdi=الغامدي, Al-Harbi=الحربي, Al-Zahrani=الزهراني,
Al-Shehri=الشهري/Al-Shihri, Al-Dosari=الدوسري/Al-Dossari, Al-Mutairi=المطيري, Ben Ali=بن علي/Benali,
Bouazizi=بوعزيزي, Belkacem=بلقاسم/Belgacem, Boumediene=بومدين, Mokhtar=مختار/Mukhtar, Abbas=عباس,
Suleiman=سليمان/Sulayman, Hamid=حميد, Aziz=عزيز, Khoury=خوري/Khouri/El Khoury, Nassar=نصار,
Sabbagh=صباغ, Tahir=طاهر/Taher, Zayed=زايد/Zayid, Mubarak=مبارك, Al-Assad=الأسد/Assad/El Assad,
Al-Hariri=الحريري/Hariri, Al-Amin=الأمين, Shaheen=شاهين/Chahine/Shahin"""

MALE["persian"] = """Mohammad=محمد/Mohammed/Muhammad, Ali=علی, Hossein=حسین/Hosein/Hussein, Reza=رضا,
Mehdi=مهدی/Mahdi, Hamid=حمید, Amir=امیر, Mohsen=محسن, Majid=مجید, Saeed=سعید/Said, Hassan=حسن/Hasan,
Javad=جواد, Morteza=مرتضی/Mortaza, Abbas=عباس, Ahmad=احمد, Behrouz=بهروز/Behruz,
Dariush=داریوش/Daryoush, Farhad=فرهاد, Kourosh=کوروش/Kurosh, Babak=بابک, Arash=آرش, Kaveh=کاوه,
Payam=پیام, Omid=امید, Hamed=حامد, Navid=نوید, Peyman=پیمان/Payman, Shahram=شهرام,
Siavash=سیاوش/Siavosh, Masoud=مسعود/Massoud/Masud"""
FEMALE["persian"] = """Fatemeh=فاطمه/Fatima, Zahra=زهرا, Maryam=مریم, Narges=نرگس, Sara=سارا, Leila=لیلا/Layla,
Shirin=شیرین, Parisa=پریسا, Nazanin=نازنین, Mahsa=مهسا, Neda=ندا, Roya=رویا, Azadeh=آزاده,
Farnaz=فرناز, Golnaz=گلناز, Mina=مینا, Elham=الهام, Hoda=هدی, Samira=سمیرا, Shadi=شادی,
Taraneh=ترانه, Yasaman=یاسمن, Bahar=بهار, Niloufar=نیلوفر/Nilufar, Soheila=سهیلا, Mojgan=مژگان,
Nasrin=نسرین, Parvaneh=پروانه, Fereshteh=فرشته, Homa=هما"""
SURNAMES["persian"] = """Hosseini=حسینی/Husseini/Hosseiny, Mohammadi=محمدی, Rezaei=رضایی/Rezaee/Rezai, Ahmadi=احمدی,
Moradi=مرادی, Karimi=کریمی, Jafari=جعفری/Djafari/Jafary, Rahimi=رحیمی, Hashemi=هاشمی,
Mousavi=موسوی/Musavi/Moussavi, Sadeghi=صادقی/Sadeqi, Ghorbani=قربانی/Qorbani, Kazemi=کاظمی,
Ebrahimi=ابراهیمی, Ahmadinejad=احمدی نژاد, Rafsanjani=رفسنجانی, Tehrani=تهرانی,
Esfahani=اصفهانی/Isfahani, Shirazi=شیرازی, Tabrizi=تبریزی, Naderi=نادری, Amini=امینی, Akbari=اکبری,
Heidari=حیدری/Haidari/Heydari, Soltani=سلطانی, Nouri=نوری/Nuri, Bagheri=باقری/Baqeri, Asadi=اسدی,
Zamani=زمانی, Farahani=فراهانی, Nazari=نظری, Yazdani=یزدانی, Ghasemi=قاسمی/Qasemi, Alavi=علوی,
Abbasi=عباسی, Salehi=صالحی, Mirzaei=میرزایی/Mirzaee, Sharifi=شریفی, Jalali=جلالی, Najafi=نجفی,
Rostami=رستمی, Safavi=صفوی, Khosravi=خسروی, Tavakoli=توکلی, Bahrami=بهرامی, Zand=زند,
Golestani=گلستانی, Kiani=کیانی, Vahidi=وحیدی, Rahmani=رحمانی, Norouzi=نوروزی/Nowruzi, Ansari=انصاری,
Ardalan=اردلان, Daneshvar=دانشور, Farahmand=فرهمند, Ghaffari=غفاری/Qaffari, Mahmoudi=محمودی/Mahmudi,
Hamidi=حمیدی, Saberi=صابری, Javadi=جوادی"""

# Cyrillic is derived by rule from this (BGN-like) romanisation; variants add the common
# passport/French/German/Ukrainian spellings.
MALE["east_slavic"] = """Aleksandr/Alexander/Oleksandr/Aleksander, Sergey/Sergei/Serhiy, Dmitriy/Dmitry/Dmitri/Dmytro,
Andrey/Andrei/Andriy, Aleksey/Alexei/Oleksiy, Maksim/Maxim, Yevgeniy/Evgeny/Yevhen, Ivan,
Mikhail/Michail/Mykhailo, Nikolay/Nikolai/Mykola, Vladimir/Volodymyr/Wladimir, Pavel/Pavlo,
Igor/Ihor, Viktor, Oleg/Oleh, Roman, Anton, Artem/Artyom, Denis/Denys, Yuriy/Yury/Yuri/Yurii,
Vitaliy/Vitaly, Vasiliy/Vasily/Vasyl, Konstantin/Kostiantyn, Ruslan, Vadim/Vadym, Bogdan/Bohdan,
Taras, Stanislav, Grigoriy/Grigory/Hryhoriy, Fedor/Fyodor/Fedir, Anatoliy/Anatoly, Leonid, Boris"""
FEMALE["east_slavic"] = """Yelena/Elena/Olena, Olga/Olha, Tatyana/Tatiana/Tetiana, Natalya/Natalia/Nataliya,
Irina/Iryna, Svetlana, Mariya/Maria, Anna/Hanna, Yekaterina/Ekaterina/Kateryna, Lyudmila/Ludmila/Liudmyla,
Anastasiya/Anastasia, Yuliya/Julia/Yulia, Oksana, Viktoriya/Victoria, Galina/Halyna, Nadezhda,
Larisa, Valentina/Valentyna, Daria/Darya, Kseniya/Ksenia, Alina, Marina/Maryna, Sofiya/Sofia,
Polina, Lyubov/Liubov, Vera, Inna, Zoya, Alla, Nina"""
SURNAMES["east_slavic"] = """Ivanov, Smirnov, Kuznetsov/Kouznetsov, Popov, Vasilyev/Vasiliev, Petrov, Sokolov,
Mikhaylov/Mikhailov, Novikov, Fedorov/Fyodorov, Morozov, Volkov, Alekseyev/Alekseev, Lebedev,
Semenov/Semyonov, Yegorov/Egorov, Pavlov, Kozlov, Stepanov, Nikolayev/Nikolaev, Orlov, Andreyev/Andreev,
Makarov, Nikitin, Zakharov, Zaytsev/Zaitsev, Solovyev/Soloviev, Borisov, Yakovlev, Grigoryev/Grigoriev,
Romanov, Vorobyev/Vorobiev, Sergeyev/Sergeev, Kovalenko, Bondarenko, Tkachenko, Kravchenko,
Shevchenko/Chevtchenko, Boyko/Boiko, Koval, Melnyk/Melnik, Shevchuk, Polishchuk, Lysenko,
Marchenko, Rudenko, Savchenko, Petrenko, Kovalchuk, Oliynyk/Oleinik, Zhukov/Joukov, Belov, Medvedev,
Chernov/Tchernov, Gusev, Tarasov, Belyayev/Belyaev, Komarov, Kiselev/Kiselyov, Titov, Frolov,
Kuzmin, Shcherbakov/Chtcherbakov, Yermakov/Ermakov, Khokhlov/Hohlov"""

MALE["central_asian"] = """Muhammad/Mukhammad/Mohammed/Muhammed, Yusuf/Yusup/Yousef, Rustam, Timur/Temur,
Jamshid/Dzhamshid, Farrukh/Farukh, Sherzod, Dilshod/Dilshad, Bakhtiyor/Bakhtiyar/Baxtiyor,
Alisher, Otabek, Ulugbek/Ulughbek, Sardor/Sardar, Bobur/Babur, Aziz, Akmal, Javlon/Zhavlon,
Shukhrat/Shuhrat, Nurlan, Yerlan/Erlan, Askar, Daniyar, Bakhodir/Bakhodyr/Bahodir, Ravshan,
Anvar/Anwar, Ilkhom/Ilhom, Murod/Murad, Umid, Botir/Batyr, Sanjar/Sandzhar, Azamat, Islom/Islam"""
FEMALE["central_asian"] = """Dilnoza/Dilnaza, Gulnora/Gulnara, Nilufar/Nilufer, Madina, Zarina, Malika,
Shakhnoza/Shahnoza, Kamola/Kamila, Feruza/Firuza, Mokhira/Mohira, Nodira/Nadira, Sevara, Laylo/Leyla,
Munisa, Aigerim/Aygerim, Aizhan/Ayzhan, Gulnaz, Dinara, Saule, Zulfiya/Zulfia, Mukhabbat, Umida,
Nargiza, Shahlo, Dilfuza, Rano, Gavhar/Gavkhar, Mavluda, Ozoda, Barno"""
SURNAMES["central_asian"] = """Karimov, Rakhimov/Rahimov, Yusupov/Yusufov, Aliyev/Aliev, Mirzayev/Mirzaev,
Usmonov/Usmanov, Ismoilov/Ismailov, Abdullayev/Abdullaev, Nazarov, Sultanov, Tursunov, Khodjayev/Hodjaev,
Saidov, Yuldashev/Yuldoshev, Rashidov, Ergashev, Normatov, Kholmatov/Holmatov, Sharipov, Khasanov/Hasanov,
Umarov, Azimov, Akhmedov/Ahmedov, Nurmatov, Jurayev/Juraev, Olimov/Alimov, Kadyrov/Qodirov, Zakirov,
Makhmudov/Mahmudov, Nematov, Safarov, Salimov, Ibragimov/Ibrahimov, Khamidov/Hamidov, Sadykov/Sodiqov,
Bekmuradov, Tokhtayev/Tokhtaev, Shukurov, Valiyev/Valiev, Muminov, Rustamov, Abdurakhmanov,
Nurmagambetov, Suleymenov/Suleimenov, Bekov, Dzhumabayev/Zhumabaev, Akhmetov/Ahmetov, Omarov,
Tashkentov, Rakhmonov/Rahmonov, Sharifov, Davletov, Kurbanov/Qurbonov, Mamatov, Mukhamedov/Muhamedov,
Baymuradov, Toshmatov, Eshmatov, Khudayberdiyev/Khudoyberdiev, Yakubov/Yoqubov"""

MALE["greek"] = """Georgios=Γεώργιος/Giorgos/Yiorgos/George, Dimitrios=Δημήτριος/Dimitris/Demetrios,
Konstantinos=Κωνσταντίνος/Kostas/Costas/Constantine, Ioannis=Ιωάννης/Giannis/Yannis,
Nikolaos=Νικόλαος/Nikos/Nicholas, Panagiotis=Παναγιώτης/Panayiotis/Panos, Vasileios=Βασίλειος/Vasilis/Vassilis,
Christos=Χρήστος/Hristos, Athanasios=Αθανάσιος/Thanasis, Michail=Μιχαήλ/Michalis/Michael,
Evangelos=Ευάγγελος/Vangelis, Spyridon=Σπυρίδων/Spyros/Spiros, Antonios=Αντώνιος/Antonis,
Anastasios=Αναστάσιος/Tasos, Theodoros=Θεόδωρος/Thodoris, Andreas=Ανδρέας, Charalampos=Χαράλαμπος/Haralambos,
Ilias=Ηλίας/Elias, Emmanouil=Εμμανουήλ/Manolis, Stylianos=Στυλιανός/Stelios, Petros=Πέτρος,
Alexandros=Αλέξανδρος/Alexander, Apostolos=Απόστολος, Sotirios=Σωτήριος/Sotiris, Pavlos=Παύλος,
Stavros=Σταύρος, Kyriakos=Κυριάκος/Kiriakos, Thomas=Θωμάς, Stefanos=Στέφανος/Stephanos, Efstathios=Ευστάθιος/Stathis"""
FEMALE["greek"] = """Maria=Μαρία, Eleni=Ελένη/Helen, Aikaterini=Αικατερίνη/Ekaterini/Katerina,
Vasiliki=Βασιλική/Vasiliki, Sofia=Σοφία/Sophia, Angeliki=Αγγελική/Aggeliki, Georgia=Γεωργία,
Dimitra=Δήμητρα, Konstantina=Κωνσταντίνα, Paraskevi=Παρασκευή/Voula, Anastasia=Αναστασία,
Christina=Χριστίνα/Hristina, Panagiota=Παναγιώτα/Panayiota, Ioanna=Ιωάννα, Evangelia=Ευαγγελία,
Eirini=Ειρήνη/Irini/Irene, Kalliopi=Καλλιόπη, Alexandra=Αλεξάνδρα, Despoina=Δέσποινα/Despina,
Athina=Αθηνά/Athena, Zoi=Ζωή/Zoe, Theodora=Θεοδώρα, Chrysoula=Χρυσούλα/Hrisoula, Styliani=Στυλιανή,
Magdalini=Μαγδαληνή, Efthymia=Ευθυμία/Efthimia, Fotini=Φωτεινή/Foteini, Anna=Άννα, Olga=Όλγα, Niki=Νίκη"""
# Greek surnames: masculine forms; the feminine (genitive) forms are derived by rule.
SURNAMES["greek"] = """Papadopoulos/Papadopulos, Papadakis, Papageorgiou, Georgiou/Yeorgiou, Oikonomou/Economou,
Vasileiou/Vassiliou, Nikolaou, Papanikolaou, Karagiannis/Karayannis, Dimitriou, Ioannou, Makris,
Pappas, Konstantinidis/Constantinides, Christodoulou, Antoniou, Athanasiou, Alexiou, Georgiadis,
Panagiotopoulos, Theodorou, Michailidis/Michaelides, Angelopoulos, Vlachos, Kouris, Stavrou,
Petridis/Petrides, Nikolaidis, Triantafyllou/Triantafillou, Anagnostou, Raptis, Kostopoulos,
Lamprou/Labrou, Giannopoulos/Yannopoulos, Papathanasiou, Zervas, Mavros, Spanos, Kontos,
Samaras, Tsipras, Mitsotakis, Karamanlis, Venizelos, Kalogeropoulos, Bakoyannis, Chatzis/Hatzis,
Kyriakou/Kiriakou, Lazaridis, Sarris, Economidis, Galanis, Sideris, Kotsis, Manolis, Rigas,
Pavlidis, Stathopoulos, Chrysochoidis, Tsakalos, Apostolou, Kostas"""

# Hanzi for given-name syllables; a given name's characters are looked up syllable by syllable.
ZH_SYLLABLES = """wei=伟 fang=芳 min=敏 jing=静 li=丽 qiang=强 lei=磊 jun=军 yang=洋 yong=勇 yan=艳 jie=杰
juan=娟 tao=涛 ming=明 chao=超 xiu=秀 xia=霞 ping=平 gang=刚 hui=辉 hua=华 hong=红 hai=海 bo=波 ning=宁
xin=欣 yu=宇 hao=浩 kai=凯 jian=建 guo=国 zhi=志 wen=文 dong=东 feng=峰 lin=琳 ying=英 yun=云 mei=梅
lan=兰 na=娜 ting=婷 xue=雪 qing=青 yi=怡 chen=晨 rui=瑞 zhen=振 long=龙 peng=鹏 bin=斌 xiao=晓 jia=佳
shu=淑 zi=子 han=涵 yue=悦 xuan=萱 tian=天 ze=泽 qi=琪 xi=曦 an=安 ran=然 fei=飞 cheng=成 hang=航 ling=玲"""
MALE["chinese"] = """Wei, Qiang, Lei, Jun, Yong, Jie, Tao, Ming, Chao, Gang, Hao, Yu, Kai, Peng, Bin, Long,
Jian-guo, Zhi-qiang, Jian-hua, Hai-tao, Xiao-ming, Wen-jie, Zhi-wei, Jun-jie, Yu-hang, Zi-hao,
Hao-ran, Yi-chen, Ze-yu, Tian-yu, Jian-jun, Guo-qiang, Dong-feng, Cheng-long, Yun-fei"""
FEMALE["chinese"] = """Fang, Min, Jing, Li, Yan, Juan, Xia, Ping, Hong, Ying, Yun, Mei, Lan, Na, Ting, Xue,
Xiu-ying, Li-na, Xiao-hong, Jing-jing, Yu-ting, Xin-yi, Zi-han, Yi-ran, Xin-yue, Mei-ling,
Li-hua, Xiao-yan, Hui-min, Jia-yi, Yu-xuan, Qing-lan, Xue-mei, Xiao-li"""
SURNAMES["chinese"] = """Wang=王/Wong, Li=李/Lee/Lei, Zhang=张/Chang/Cheung, Liu=刘/Lau/Lew, Chen=陈/Chan/Chin/Tan,
Yang=杨/Yeung, Huang=黄/Hwang/Wong, Zhao=赵/Chao/Chiu, Wu=吴/Ng/Woo, Zhou=周/Chou/Chow, Xu=徐/Hsu/Tsui,
Sun=孙/Suen, Ma=马/Mah, Zhu=朱/Chu/Choo, Hu=胡/Woo, Guo=郭/Kuo/Kwok, He=何/Ho, Lin=林/Lam/Lim,
Gao=高/Kao/Ko, Luo=罗/Lo/Law, Zheng=郑/Cheng/Cheang, Liang=梁/Leung, Xie=谢/Hsieh/Tse, Song=宋/Sung,
Tang=唐/Tong, Han=韩/Hon, Feng=冯/Fung, Deng=邓/Teng/Tang, Cao=曹/Tsao/Tso, Peng=彭/Pang, Zeng=曾/Tseng/Tsang,
Xiao=肖/Hsiao/Siu, Tian=田/Tien, Dong=董/Tung, Pan=潘/Poon, Yuan=袁/Yuen, Cai=蔡/Tsai/Choi, Jiang=蒋/Chiang,
Yu=余/Yue, Du=杜/Tu/To, Ye=叶/Yeh/Yip, Cheng=程/Ching, Wei=魏/Ngai, Su=苏/Soo, Ding=丁/Ting, Ren=任/Yam,
Lu=卢/Lo, Yao=姚/Yiu, Shen=沈/Shum, Zhong=钟/Chung, Cui=崔/Tsui, Tan=谭/Tam, Fan=范/Fann, Liao=廖/Liu,
Shi=石/Shih/Shek, Jin=金/Chin/Kam, Jia=贾/Chia, Xia=夏/Hsia/Ha, Fang=方/Fong, Zou=邹/Tsou/Chau,
Xiong=熊/Hsiung/Hung, Bai=白/Pai/Pak, Meng=孟/Mang, Qin=秦/Chin, Qiu=邱/Chiu/Yau, Hou=侯/Hau,
Qian=钱/Chien/Chin, Kong=孔/Hung, Mao=毛"""

KO_SYLLABLES = """min=민 jun=준 seo=서 ji=지 hyun=현 woo=우 jae=재 sung=성 young=영 soo=수 eun=은 hye=혜
yeon=연 jin=진 ho=호 dong=동 hoon=훈 jung=정 kyung=경 sang=상 chul=철 hee=희 mi=미 na=나 yu=유 ha=하
bin=빈 won=원 seok=석 tae=태 hwan=환 yong=용 ah=아 ye=예 do=도 yoon=윤 gyu=규 han=한 seung=승 da=다
su=수 yun=윤"""
MALE["korean"] = """Min-jun, Seo-jun, Do-yun, Ji-ho, Ji-hoon, Hyun-woo, Jun-seo, Woo-jin, Sung-min,
Jae-hyun, Dong-hyun, Sang-hoon, Young-ho, Jin-ho, Tae-hyun, Sung-ho, Jung-ho, Kyung-soo, Chul-soo,
Young-soo, Seok-jin, Jae-won, Yong-jun, Min-ho, Hyun-jun, Tae-yong, Jae-ho, Dong-won, Seung-woo,
Jun-ho, Sang-min, Gyu-min"""
FEMALE["korean"] = """Seo-yeon, Ji-woo, Seo-yun, Ha-eun, Min-seo, Ji-min, Soo-ah, Ye-eun, Eun-ji,
Hye-jin, Ji-yeon, Min-ji, Soo-jin, Eun-young, Mi-young, Young-hee, Hye-won, Yu-na, Ji-eun,
Na-yeon, Su-bin, Ha-yoon, Da-eun, Eun-seo, Mi-na, Kyung-hee, Jung-eun, Seo-hee, Ye-jin, Yoon-ah"""
SURNAMES["korean"] = """Kim=김/Gim, Lee=이/Yi/Rhee/I, Park=박/Pak/Bak, Choi=최/Choe/Chey, Jung=정/Jeong/Chung,
Kang=강/Gang, Cho=조/Jo, Yoon=윤/Yun, Jang=장/Chang, Lim=임/Im/Rim, Han=한, Oh=오/O, Seo=서/Suh,
Shin=신/Sin, Kwon=권/Gwon, Hwang=황, Ahn=안/An, Song=송, Jeon=전/Chun/Jun, Hong=홍, Yoo=유/Yu,
Ko=고/Go, Moon=문/Mun, Yang=양, Son=손/Sohn, Bae=배/Pae, Baek=백/Paik, Heo=허/Huh, Nam=남, Noh=노/Roh/No,
Ha=하, Kwak=곽/Gwak, Sung=성/Seong, Cha=차, Joo=주/Ju, Woo=우/U, Min=민, Ryu=류/Yoo/Ryoo, Na=나/Ra,
Jin=진/Chin, Ji=지, Eom=엄/Um, Chae=채, Won=원, Cheon=천/Chun, Bang=방, Gong=공/Kong, Hyun=현/Hyeon,
Ham=함, Byun=변/Byeon, Yeom=염, Yeo=여, Choo=추/Chu, Do=도, Seok=석/Suk, Sun=선, Seol=설, Ma=마,
Gil=길/Kil, Pyo=표, Myung=명/Myeong, Ki=기/Gi"""

MALE["japanese"] = """Hiroshi=博, Takashi=隆, Satoshi=聡, Kenji=健二, Daisuke=大輔, Takuya=拓也, Kazuki=一輝,
Shota=翔太/Shouta, Yuta=雄太/Yuuta, Kenta=健太, Ryota=亮太/Ryouta, Naoki=直樹, Kazuya=和也,
Tetsuya=哲也, Makoto=誠, Akira=明, Haruto=陽翔, Sota=蒼太/Souta, Yuto=悠斗/Yuuto, Ren=蓮, Kaito=海斗,
Shun=駿, Takeshi=武, Koji=浩二/Kouji/Kohji, Shinji=真司, Masashi=雅史, Hideki=秀樹, Yusuke=祐介/Yuusuke,
Ryo=涼/Ryou, Ichiro=一郎/Ichirou, Jiro=次郎/Jirou, Shohei=翔平/Shouhei"""
FEMALE["japanese"] = """Yuko=裕子/Yuuko, Keiko=恵子, Yoko=洋子/Youko, Akiko=明子, Tomoko=智子, Naoko=直子,
Sachiko=幸子, Mayumi=真由美, Yumi=由美, Megumi=恵, Kumiko=久美子, Emi=恵美, Ayumi=歩, Haruka=遥,
Misaki=美咲, Yui=結衣, Aoi=葵, Sakura=さくら, Hina=陽菜, Rin=凛, Mio=澪, Nanami=七海, Yuna=結菜,
Mai=舞, Ai=愛, Kaori=香織, Noriko=典子, Hiromi=裕美, Miki=美樹, Ayaka=彩花"""
SURNAMES["japanese"] = """Sato=佐藤/Satou/Satoh, Suzuki=鈴木, Takahashi=高橋, Tanaka=田中, Watanabe=渡辺,
Ito=伊藤/Itoh/Itou, Yamamoto=山本, Nakamura=中村, Kobayashi=小林, Kato=加藤/Katoh/Katou, Yoshida=吉田,
Yamada=山田, Sasaki=佐々木, Yamaguchi=山口, Matsumoto=松本, Inoue=井上, Kimura=木村, Hayashi=林,
Shimizu=清水, Yamazaki=山崎/Yamasaki, Mori=森, Abe=阿部, Ikeda=池田, Hashimoto=橋本, Yamashita=山下,
Ishikawa=石川, Nakajima=中島/Nakashima, Maeda=前田, Fujita=藤田, Ogawa=小川, Goto=後藤/Gotoh/Gotou,
Okada=岡田, Hasegawa=長谷川, Murakami=村上, Kondo=近藤/Kondoh/Kondou, Ishii=石井, Saito=斎藤/Saitoh/Saitou,
Sakamoto=坂本, Endo=遠藤/Endoh/Endou, Aoki=青木, Fujii=藤井, Nishimura=西村, Fukuda=福田,
Ota=太田/Ohta/Oota, Miura=三浦, Fujiwara=藤原, Okamoto=岡本, Matsuda=松田, Nakagawa=中川, Nakano=中野,
Harada=原田, Ono=小野/Ohno, Tamura=田村, Takeuchi=竹内, Kaneko=金子, Wada=和田, Nakayama=中山,
Ishida=石田, Ueda=上田, Morita=森田, Shibata=柴田, Sakai=酒井, Kudo=工藤/Kudoh/Kudou, Yokoyama=横山"""

MALE["west_african"] = """Oluwaseun/Seun, Chukwuemeka/Emeka, Adebayo/Adebayor, Olumide, Babatunde/Tunde,
Chinedu, Ikechukwu/Ike, Obinna, Emmanuel, Ibrahim, Musa, Abubakar/Aboubakar/Abubakr, Kwame, Kofi,
Kwabena, Yaw, Kojo/Cudjoe, Nnamdi, Uche, Segun, Femi, Ifeanyi, Olusegun, Sani, Usman/Ousmane, Yakubu,
Godwin, Samuel, Daniel, Chibuike, Tochukwu, Oladele, Ayodele, Kelechi"""
FEMALE["west_african"] = """Oluwakemi/Kemi, Chidinma, Ngozi, Adaeze/Adaezi, Folake, Funmilayo/Funmi, Chioma,
Amaka, Nneka, Yetunde, Abena, Akosua, Ama, Efua/Effua, Adwoa/Adjoa, Aisha/Aishat, Hauwa, Zainab,
Blessing, Grace, Ifeoma, Ngozika, Titilayo/Titi, Bukola, Temitope/Tope, Oluwaseyi/Seyi, Omolara,
Halima/Halimat, Fatima/Fatimah, Esther"""
SURNAMES["west_african"] = """Okafor, Okonkwo, Adeyemi, Ogunleye, Adebayo, Okeke, Nwosu, Eze, Obi, Chukwu,
Oladipo, Bello, Abubakar, Mohammed, Ibrahim, Yusuf, Balogun, Olawale, Onyekachi, Akinola, Afolabi,
Babangida, Danjuma, Ojo, Ogundipe, Nwachukwu, Uzoma, Emenike, Ibekwe, Onuoha, Mensah, Owusu, Boateng,
Asante, Osei, Agyemang, Appiah, Amoah, Danso, Ofori, Acheampong, Kuffour/Kufuor, Gyamfi, Opoku,
Sesay, Kamara, Conteh, Bangura, Koroma, Turay, Kargbo, Johnson, Sirleaf, Weah, Tubman, Doe, Taylor,
Ekwueme, Azikiwe, Ogbonna, Adewale, Okoro"""

MALE["indian"] = """Rahul, Amit, Rajesh/Rajeshwar, Suresh, Ramesh, Sanjay, Vijay, Anil, Sunil, Manoj, Ajay,
Deepak, Ashok, Mahesh, Ravi, Arjun, Vikram, Rohit, Sandeep, Pradeep, Prakash, Karthik/Kartik,
Venkatesh, Srinivas/Shrinivas, Mohammed/Mohd/Mohammad, Abdul, Harpreet, Gurpreet, Mukesh, Naveen/Navin,
Aditya, Siddharth/Siddarth"""
FEMALE["indian"] = """Priya, Sunita, Anita, Pooja/Puja, Neha, Kavita/Kavitha, Rekha, Lakshmi/Laxmi, Meena,
Geeta/Gita, Sita/Seeta, Anjali, Deepa, Divya, Shalini, Shanti/Shanthi, Usha, Asha, Radha, Sneha,
Swati, Nisha, Ritu, Manisha, Savita, Jyoti, Aarti/Arti, Fatima, Harpreet, Simran"""
SURNAMES["indian"] = """Sharma, Verma, Gupta, Singh, Kumar, Patel, Shah, Mehta, Joshi, Reddy, Rao, Nair,
Iyer/Iyyer, Menon, Pillai, Das, Banerjee/Bannerjee, Chatterjee/Chaterjee, Mukherjee/Mukerji, Bose, Sen,
Ghosh, Chopra, Kapoor/Kapur, Malhotra, Khanna, Agarwal/Aggarwal, Jain, Bansal, Mishra, Pandey, Tiwari/Tewari,
Dubey/Dube, Yadav, Chauhan, Rathore, Thakur, Naidu, Krishnan, Subramanian, Raman, Chaudhary/Choudhury,
Desai, Kulkarni, Patil, Deshpande, Bhat/Bhatt, Saxena, Srivastava, Trivedi, Khan, Qureshi, Ansari,
Siddiqui/Siddiqi, Sheikh/Shaikh, Gill, Sandhu, Dhillon, Grewal, Sidhu"""

# Vietnamese given names usually carry a middle name (Văn, Thị ...); see cultures.py.
VI_MIDDLE_MALE = "Văn, Đức, Minh, Hữu, Quang, Công, Thành, Xuân, Ngọc, Hoàng"
VI_MIDDLE_FEMALE = "Thị, Ngọc, Thu, Thanh, Kim, Mai, Hồng, Phương, Bích, Thùy"
MALE["vietnamese"] = """An, Anh, Bảo, Bình, Cường, Dũng, Duy, Đạt, Hải, Hiếu, Hòa, Hoàng, Hùng, Huy, Khang,
Khánh, Khoa, Kiên, Lâm, Long, Minh, Nam, Nghĩa, Phong, Phúc, Quân, Quang, Sơn, Tâm, Thắng, Thành,
Thịnh, Toàn, Trung, Tuấn, Việt, Vinh"""
FEMALE["vietnamese"] = """Anh, Chi, Dung, Giang, Hà, Hạnh, Hằng, Hoa, Hương, Huyền, Lan, Linh, Loan, Mai,
My, Nga, Ngân, Ngọc, Nhung, Oanh, Phương, Quỳnh, Thảo, Thủy, Trang, Trinh, Tuyết, Uyên, Vân, Yến"""
SURNAMES["vietnamese"] = """Nguyễn/Nguyen/Nguyin, Trần, Lê, Phạm/Pham, Hoàng/Huynh, Huỳnh, Phan, Vũ/Vu, Võ/Vo,
Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý/Ly, Đinh, Đào, Cao, Lưu, Mai, Trịnh, Trương/Truong, Lâm, Tô,
Hà, Quách, Tạ, Thái, Chu, La, Văn, Tăng, Kiều, Lương, Triệu, Khổng, Từ, Doãn, Đoàn, Phùng, Quan,
Mạc, Tôn, Hứa, Kim, Lại, Lạc, Châu, Diệp, Giang, Lục, Mã, Nghiêm, Ông, Tiêu, Vương/Vuong, Âu, Thân,
Ninh, Đàm, Khúc, Ung"""
