/**
 * Text for the bench dataset, in the forum's four languages (English, French, Spanish, Arabic with
 * and without diacritics): sentences about illicit trade and IP crime built from templates whose
 * slots (legal terms, goods, instruments, article references, people and companies) are drawn with
 * Zipf weights, so the index holds what a real one does: a few very common words (`the`, `de`,
 * `في`), a middle of legal vocabulary (`medicrime`, `retention`, `falsificados`) and a long tail of
 * rare terms (company and brand names from a two-million-word synthetic tail, case and lot numbers).
 * Every post is its own text; all of it follows from the seeded PRNG the generator passes in.
 *
 * The markdown is plain paragraphs with `**bold**`, so `cookParagraphs` gives exactly the HTML
 * `cookMarkdown` would (generate.test.ts checks it) at a hundredth of the cost: cooking a million
 * posts with markdown-it would take longer than inserting them.
 */

export interface Rng {
  next(): number;
  int(n: number): number;
}

export const LANGUAGES = ['en', 'fr', 'es', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Share of threads written in each language. */
const LANGUAGE_WEIGHTS: readonly (readonly [Language, number])[] = [
  ['en', 45],
  ['fr', 20],
  ['es', 20],
  ['ar', 15],
];

type Slot = 'term' | 'goods' | 'instrument' | 'actor' | 'court' | 'place';

interface Kit {
  /** Sentence templates (picked evenly; their slots with Zipf weights): `{slot}`, `{art}` (an article reference), `{name}`, `{ref}`, `{lot}`, `{num}`. */
  sentences: readonly string[];
  titles: readonly string[];
  slots: Record<Slot, readonly string[]>;
  article(rnd: Rng): string;
  /** A company, brand or vessel built around a rare name. */
  named: readonly string[];
  syllables: readonly string[];
}

const LATIN_SYLLABLES = [
  'ka',
  'ro',
  'mi',
  'ten',
  'lu',
  'zor',
  'vel',
  'pa',
  'dri',
  'sun',
  'be',
  'tho',
  'ga',
  'nex',
  'li',
  'mar',
  'qui',
  'o',
  'fen',
  'ti',
  'ra',
  'dol',
  'se',
  'vin',
  'cor',
  'al',
  'bu',
  'xi',
  'pe',
  'nor',
  'da',
  'lo',
  'mu',
  'ster',
  'gi',
  'ran',
  'e',
  'zu',
  'ha',
  'vok',
];
const ARABIC_SYLLABLES = [
  'كا',
  'رو',
  'مي',
  'تن',
  'لو',
  'زر',
  'فل',
  'با',
  'در',
  'سن',
  'بي',
  'ثو',
  'غا',
  'نك',
  'لي',
  'مر',
  'قو',
  'و',
  'فن',
  'تي',
  'را',
  'دل',
  'سي',
  'فين',
  'كور',
  'ال',
  'بو',
  'شي',
  'بي',
  'نور',
  'دا',
  'لو',
  'مو',
  'ست',
  'جي',
  'ران',
  'إي',
  'زو',
  'ها',
  'فك',
];

const letters = 'abcdefgh';
const arabicLetters = 'أبجدهوزح';
const small = (rnd: Rng, n: number) => 1 + zipfIndex(rnd, n);

const KITS: Record<Language, Kit> = {
  en: {
    sentences: [
      'The court held that the {goods} seized by {actor} were {term} within the meaning of {instrument}, {art}.',
      'In our practice the {term} is where these files are fought, and the defence relies on {art} of {instrument}.',
      'We are preparing a prosecution of a network that sold {goods} through {name}, and the question is whether {term} can be proved.',
      'The {court} accepted the laboratory report on its own; the analyst was not called, and the {term} was not disputed.',
      'From the customs side, parcels of {goods} are declared as gifts or samples, and {actor} rarely see the {term} before the goods are released.',
      'Is the {term} in {place} governed by {art} of {instrument}, or only by the national implementing law?',
      'The defendant argued that {instrument} does not apply to {goods} in transit; the {court} rejected the argument under {art}.',
      'For comparison, {art} of {instrument} requires the State to establish {term} as a criminal offence when committed intentionally.',
      'The file {ref} concerns {num} cartons of {goods} detained at {place}, with lot {lot} printed on every pack.',
      'A request for mutual legal assistance to {place} was sent in {ref}; the reply on {term} took eleven months.',
      'Two cautions: check the domestic text that transposed {art}, and do not strain the facts to reach {term}.',
      'The seizure of {goods} from {name} raised the question of {term} and of the {term} under {instrument}.',
      'Thank you, that matches what we saw with {actor} in {place}.',
      'Our {court} treated the website operator as a co-perpetrator, because he controlled whether each sale of {goods} happened.',
      'Has anyone used {instrument} as the legal basis for {term} when the national law is silent?',
      'The expert for {name} disputed the sampling of the {goods}, but the {court} found the method sound.',
    ],
    titles: [
      '{term} of {goods} under {instrument} {art}',
      'Question on {term} in {place}',
      '{goods} seized from {name}: {term}',
      'Is {term} an element under {art}?',
      'Case note: {court}, {term} and {goods}',
      '{instrument} and {term} of {goods}',
    ],
    slots: {
      term: [
        'chain of custody',
        'counterfeiting',
        'intent',
        'confiscation',
        'customs detention',
        'falsification',
        'trademark infringement',
        'money laundering',
        'organised crime',
        'smuggling',
        'corporate liability',
        'sampling',
        'illicit trade',
        'offer to supply',
        'brokering',
        'proceeds of crime',
        'joint investigation',
        'forfeiture',
        'aggravating circumstance',
        'wilful blindness',
        'destruction of goods',
        'parallel import',
        'excise evasion',
        'mutual legal assistance',
        'extradition',
        'plea agreement',
        'search warrant',
        'undercover purchase',
        'controlled delivery',
        'expert evidence',
        'border measures',
        'seizure',
      ],
      goods: [
        'counterfeit medicines',
        'falsified antibiotics',
        'counterfeit cigarettes',
        'pesticides',
        'spare parts',
        'falsified vaccines',
        'spirits',
        'cosmetics',
        'luxury watches',
        'fuel',
        'medical devices',
        'toys',
        'ivory',
        'pangolin scales',
        'rosewood',
        'infant formula',
        'antimalarials',
        'phone chargers',
      ],
      instrument: [
        'the Medicrime Convention',
        'UNTOC',
        'the TRIPS Agreement',
        'the FCTC Protocol',
        'Regulation (EU) No 608/2013',
        'Directive 2011/62/EU',
        'CITES',
        'UNCAC',
        'the Budapest Convention',
      ],
      actor: [
        'customs',
        'the police',
        'the regulator',
        'the prosecution',
        'the rights holder',
        'the postal operator',
        'Interpol',
      ],
      court: ['court of appeal', 'trial court', 'high court', 'supreme court', 'magistrate', 'investigating judge'],
      place: [
        'Lagos',
        'Mombasa',
        'Rotterdam',
        'Antwerp',
        'Dakar',
        'Abidjan',
        'Jebel Ali',
        'Piraeus',
        'Santos',
        'Colón',
        'Durban',
        'Karachi',
        'Port Said',
        'Tema',
        'Cotonou',
        'Lomé',
        'Valencia',
        'Marseille',
      ],
    },
    article: (rnd) => {
      const n = ARTICLE_NUMBERS[zipfIndex(rnd, ARTICLE_NUMBERS.length)]!;
      switch (rnd.int(5)) {
        case 0:
          return `art. ${n}`;
        case 1:
          return `article ${n}(${small(rnd, 4)})`;
        case 2:
          return `art. ${n}(${small(rnd, 3)})(${letters[rnd.int(4)]})`;
        case 3:
          return `arts. ${n} and ${ARTICLE_NUMBERS[rnd.int(ARTICLE_NUMBERS.length)]}`;
        default:
          return `article ${n}`;
      }
    },
    named: ['{name} Pharma', '{name} Trading', 'the vessel {name}', 'the brand {name}', '{name} Logistics'],
    syllables: LATIN_SYLLABLES,
  },
  fr: {
    sentences: [
      'La cour a jugé que les {goods} saisis par {actor} relevaient de la {term} au sens de {instrument}, {art}.',
      'Dans notre pratique, la {term} est le point le plus discuté, et la défense invoque {art} de {instrument}.',
      'Les douanes ont placé la marchandise en rétention douanière à {place} ; le titulaire de la marque a été informé le jour même.',
      'Nous préparons des poursuites contre un réseau qui vendait des {goods} par l’intermédiaire de {name}, et la question est celle de la {term}.',
      'Le {court} a admis le rapport du laboratoire sans entendre l’analyste ; la {term} n’était pas contestée.',
      'La {term} à {place} est-elle régie par {art} de {instrument}, ou seulement par la loi nationale ?',
      'Le prévenu soutenait que {instrument} ne s’applique pas aux {goods} en transit ; le {court} a écarté l’argument sur le fondement de {art}.',
      'Le dossier {ref} porte sur {num} cartons de {goods} retenus à {place}, avec le lot {lot} imprimé sur chaque boîte.',
      'Une demande d’entraide pénale a été adressée à {place} dans le dossier {ref} ; la réponse sur la {term} a pris onze mois.',
      'Deux précautions : vérifier le texte qui a transposé {art}, et ne pas forcer les faits pour retenir la {term}.',
      'Merci, cela correspond à ce que nous avons vu avec {actor} à {place}.',
      'La saisie de {goods} chez {name} pose la question de la {term} au regard de {instrument}.',
      'Quelqu’un a-t-il fondé la {term} sur {instrument} lorsque la loi nationale est muette ?',
    ],
    titles: [
      '{term} et {goods} : {instrument} {art}',
      'Question sur la {term} à {place}',
      '{goods} saisis chez {name} : {term}',
      'Note d’arrêt : {court}, {term}',
    ],
    slots: {
      term: [
        'rétention douanière',
        'contrefaçon',
        'chaîne de possession',
        'confiscation',
        'falsification',
        'intention frauduleuse',
        'blanchiment',
        'criminalité organisée',
        'contrebande',
        'responsabilité des personnes morales',
        'expertise',
        'complicité',
        'entraide pénale',
        'saisie pénale',
        'circonstance aggravante',
        'destruction des marchandises',
        'importation parallèle',
        'livraison surveillée',
        'commission rogatoire',
        'procédure simplifiée',
      ],
      goods: [
        'médicaments falsifiés',
        'médicaments contrefaisants',
        'cigarettes de contrebande',
        'pesticides',
        'pièces détachées',
        'cosmétiques',
        'montres de luxe',
        'vins et spiritueux',
        'dispositifs médicaux',
        'jouets',
        'antipaludéens',
        'carburant',
      ],
      instrument: [
        'la Convention Médicrime',
        'la Convention de Palerme',
        'l’Accord sur les ADPIC',
        'le Protocole de la CCLAT',
        'le règlement (UE) n° 608/2013',
        'la directive 2011/62/UE',
        'la CITES',
        'le code des douanes',
      ],
      actor: [
        'les douanes',
        'la gendarmerie',
        'l’ANSM',
        'le parquet',
        'le titulaire de la marque',
        'l’OCLAESP',
        'Interpol',
      ],
      court: [
        'tribunal correctionnel',
        'juge d’instruction',
        'cour d’appel',
        'tribunal judiciaire',
        'juge des libertés',
      ],
      place: [
        'Marseille',
        'Le Havre',
        'Roissy',
        'Dakar',
        'Abidjan',
        'Cotonou',
        'Lomé',
        'Douala',
        'Anvers',
        'Casablanca',
        'Tunis',
        'Genève',
      ],
    },
    article: (rnd) => {
      const n = ARTICLE_NUMBERS[zipfIndex(rnd, ARTICLE_NUMBERS.length)]!;
      switch (rnd.int(4)) {
        case 0:
          return `l’art. ${n}`;
        case 1:
          return `l’article ${n}, paragraphe ${small(rnd, 4)}`;
        case 2:
          return `l’article ${n}(${small(rnd, 3)})(${letters[rnd.int(4)]})`;
        default:
          return `les articles ${n} et ${ARTICLE_NUMBERS[rnd.int(ARTICLE_NUMBERS.length)]}`;
      }
    },
    named: ['la société {name}', 'la marque {name}', 'le navire {name}', '{name} Distribution'],
    syllables: LATIN_SYLLABLES,
  },
  es: {
    sentences: [
      'El tribunal declaró que los {goods} incautados por {actor} constituían {term} en el sentido de {instrument}, {art}.',
      'En nuestra práctica la {term} es lo que más se discute, y la defensa invoca el {art} de {instrument}.',
      'Preparamos una acusación contra una red que vendía {goods} a través de {name}, y la cuestión es probar la {term}.',
      'La {court} admitió el informe del laboratorio sin oír al perito; la {term} no fue discutida.',
      '¿La {term} en {place} se rige por el {art} de {instrument}, o solo por la ley nacional?',
      'El acusado alegó que {instrument} no se aplica a los {goods} en tránsito; la {court} rechazó el argumento conforme al {art}.',
      'La causa {ref} se refiere a {num} cajas de {goods} retenidas en {place}, con el lote {lot} impreso en cada envase.',
      'Se envió una solicitud de asistencia judicial a {place} en la causa {ref}; la respuesta sobre la {term} tardó once meses.',
      'Gracias, coincide con lo que vimos con {actor} en {place}.',
      'La incautación de {goods} a {name} plantea la cuestión de la {term} según {instrument}.',
      '¿Alguien ha fundado la {term} en {instrument} cuando la ley nacional guarda silencio?',
      'Dos cautelas: revisar la norma que transpuso el {art}, y no forzar los hechos para llegar a la {term}.',
    ],
    titles: [
      '{term} de {goods} según {instrument} {art}',
      'Pregunta sobre la {term} en {place}',
      '{goods} incautados a {name}: {term}',
      'Nota de sentencia: {court} y {term}',
    ],
    slots: {
      term: [
        'falsificación',
        'cadena de custodia',
        'intención',
        'decomiso',
        'retención aduanera',
        'blanqueo de capitales',
        'delincuencia organizada',
        'contrabando',
        'responsabilidad penal de la persona jurídica',
        'prueba pericial',
        'complicidad',
        'asistencia judicial',
        'entrega vigilada',
        'circunstancia agravante',
        'destrucción de mercancías',
        'importación paralela',
        'infracción marcaria',
      ],
      goods: [
        'medicamentos falsificados',
        'productos falsificados',
        'cigarrillos de contrabando',
        'plaguicidas',
        'repuestos',
        'cosméticos',
        'relojes de lujo',
        'bebidas alcohólicas',
        'dispositivos médicos',
        'juguetes',
        'antipalúdicos',
        'combustible',
      ],
      instrument: [
        'el Convenio Medicrime',
        'la Convención de Palermo',
        'el Acuerdo sobre los ADPIC',
        'el Protocolo del CMCT',
        'el Reglamento (UE) n.º 608/2013',
        'la Directiva 2011/62/UE',
        'la CITES',
        'el Código Penal',
      ],
      actor: [
        'la aduana',
        'la Guardia Civil',
        'la AEMPS',
        'la fiscalía',
        'el titular de la marca',
        'la policía',
        'Europol',
      ],
      court: [
        'Audiencia Provincial',
        'juzgado de instrucción',
        'Sala de lo Penal',
        'Tribunal Supremo',
        'juzgado de lo penal',
      ],
      place: [
        'Algeciras',
        'Valencia',
        'Barcelona',
        'Colón',
        'Cartagena',
        'Callao',
        'Manzanillo',
        'Buenos Aires',
        'Santos',
        'Guayaquil',
        'Veracruz',
      ],
    },
    article: (rnd) => {
      const n = ARTICLE_NUMBERS[zipfIndex(rnd, ARTICLE_NUMBERS.length)]!;
      switch (rnd.int(4)) {
        case 0:
          return `art. ${n}`;
        case 1:
          return `artículo ${n}.${small(rnd, 4)}`;
        case 2:
          return `artículo ${n}(${small(rnd, 3)})(${letters[rnd.int(4)]})`;
        default:
          return `arts. ${n} y ${ARTICLE_NUMBERS[rnd.int(ARTICLE_NUMBERS.length)]}`;
      }
    },
    named: ['la empresa {name}', 'la marca {name}', 'el buque {name}', '{name} Farma'],
    syllables: LATIN_SYLLABLES,
  },
  // Written with full diacritics (harakat); `arabicVariant` strips them from most posts, as most
  // people type, and now and then drops hamza from alef or stretches a word with tatweel.
  ar: {
    sentences: [
      'قَضَتِ المَحْكَمَةُ بِأَنَّ {goods} الَّتِي ضَبَطَتْهَا {actor} تُعَدُّ مِنْ {term} وَفْقًا لِـ{instrument}، {art}.',
      'فِي مُمَارَسَتِنَا، {term} هِيَ مَوْضِعُ النِّزَاعِ، وَيَسْتَنِدُ الدِّفَاعُ إِلَى {art} مِنْ {instrument}.',
      'نُعِدُّ مُلَاحَقَةً قَضَائِيَّةً ضِدَّ شَبَكَةٍ كَانَتْ تَبِيعُ {goods} عَبْرَ {name}، وَالسُّؤَالُ هُوَ إِثْبَاتُ {term}.',
      'قَبِلَتْ {court} تَقْرِيرَ المُخْتَبَرِ دُونَ سَمَاعِ الخَبِيرِ، وَلَمْ تَكُنْ {term} مَحَلَّ نِزَاعٍ.',
      'هَلْ تَخْضَعُ {term} فِي {place} لِـ{art} مِنْ {instrument}، أَمْ لِلْقَانُونِ الوَطَنِيِّ فَقَطْ؟',
      'تَتَعَلَّقُ القَضِيَّةُ {ref} بِـ{num} صُنْدُوقًا مِنْ {goods} مَحْجُوزَةٍ فِي {place}، وَعَلَى كُلِّ عُلْبَةٍ رَقْمُ التَّشْغِيلَةِ {lot}.',
      'أُرْسِلَ طَلَبُ مُسَاعَدَةٍ قَانُونِيَّةٍ مُتَبَادَلَةٍ إِلَى {place} فِي القَضِيَّةِ {ref}، وَاسْتَغْرَقَ الرَّدُّ بِشَأْنِ {term} أَحَدَ عَشَرَ شَهْرًا.',
      'شُكْرًا، هَذَا يُطَابِقُ مَا رَأَيْنَاهُ مَعَ {actor} فِي {place}.',
      'يُثِيرُ ضَبْطُ {goods} لَدَى {name} مَسْأَلَةَ {term} فِي ضَوْءِ {instrument}.',
      'هَلِ اسْتَنَدَ أَحَدٌ إِلَى {instrument} فِي {term} عِنْدَمَا يَسْكُتُ القَانُونُ الوَطَنِيُّ؟',
    ],
    titles: [
      '{term} وَ{goods} وَفْقًا لِـ{instrument} {art}',
      'سُؤَالٌ حَوْلَ {term} فِي {place}',
      '{goods} المَضْبُوطَةُ لَدَى {name}: {term}',
    ],
    slots: {
      term: [
        'الجَرِيمَةُ المُنَظَّمَةُ',
        'التَّزْيِيفُ',
        'سِلْسِلَةُ الحِيَازَةِ',
        'المُصَادَرَةُ',
        'الحَجْزُ الجُمْرُكِيُّ',
        'التَّهْرِيبُ',
        'القَصْدُ الجِنَائِيُّ',
        'غَسْلُ الأَمْوَالِ',
        'التَّقْلِيدُ',
        'الاتِّجَارُ غَيْرُ المَشْرُوعِ',
        'المَسْؤُولِيَّةُ الجِنَائِيَّةُ لِلشَّخْصِ المَعْنَوِيِّ',
        'الخِبْرَةُ الفَنِّيَّةُ',
        'المُسَاعَدَةُ القَانُونِيَّةُ',
        'التَّسْلِيمُ المُرَاقَبُ',
        'الظُّرُوفُ المُشَدِّدَةُ',
        'إِتْلَافُ البَضَائِعِ',
        'المِلْكِيَّةُ الفِكْرِيَّةُ',
        'العَلَامَةُ التِّجَارِيَّةُ',
      ],
      goods: [
        'الأَدْوِيَةِ المُزَيَّفَةِ',
        'الأَدْوِيَةِ المَغْشُوشَةِ',
        'السَّجَائِرِ المُهَرَّبَةِ',
        'المُبِيدَاتِ',
        'قِطَعِ الغِيَارِ',
        'مُسْتَحْضَرَاتِ التَّجْمِيلِ',
        'السَّاعَاتِ الفَاخِرَةِ',
        'الأَجْهِزَةِ الطِّبِّيَّةِ',
        'اللُّعَبِ',
        'الوَقُودِ',
      ],
      instrument: [
        'اتِّفَاقِيَّةِ ميديكرايم',
        'اتِّفَاقِيَّةِ بَالِيرْمُو',
        'اتِّفَاقِ تريبس',
        'بروتوكولِ الاتِّفَاقِيَّةِ الإِطَارِيَّةِ',
        'قَانُونِ الجَمَارِكِ',
        'قَانُونِ العُقُوبَاتِ',
        'اتِّفَاقِيَّةِ سايتس',
      ],
      actor: ['الجَمَارِكُ', 'الشُّرْطَةُ', 'النِّيَابَةُ العَامَّةُ', 'هَيْئَةُ الدَّوَاءِ', 'صَاحِبُ العَلَامَةِ', 'الإنتربول'],
      court: ['مَحْكَمَةُ الاسْتِئْنَافِ', 'المَحْكَمَةُ الابْتِدَائِيَّةُ', 'مَحْكَمَةُ النَّقْضِ', 'قَاضِي التَّحْقِيقِ'],
      place: ['الدار البيضاء', 'طنجة', 'بورسعيد', 'جدة', 'دبي', 'العقبة', 'تونس', 'الجزائر', 'بيروت', 'الإسكندرية'],
    },
    article: (rnd) => {
      const n = ARTICLE_NUMBERS[zipfIndex(rnd, ARTICLE_NUMBERS.length)]!;
      switch (rnd.int(3)) {
        case 0:
          return `المَادَّةِ ${n}`;
        case 1:
          return `الفِقْرَةِ ${small(rnd, 4)} مِنَ المَادَّةِ ${n}`;
        default:
          return `المَادَّةِ ${n}(${small(rnd, 3)})(${arabicLetters[rnd.int(4)]})`;
      }
    },
    named: ['شَرِكَةِ {name}', 'العَلَامَةِ {name}', 'السَّفِينَةِ {name}'],
    syllables: ARABIC_SYLLABLES,
  },
};

/** Article numbers, the most cited first (Medicrime art. 5 and 6, UNTOC art. 5, TRIPS art. 61...). */
const ARTICLE_NUMBERS = [5, 6, 11, 8, 2, 3, 61, 12, 7, 4, 13, 18, 9, 10, 15, 1, 16, 20, 23, 24, 27, 51, 59, 85];

/** Ranks of the synthetic tail of rare names. */
const TAIL = 2_000_000;

const cumulativeCache = new Map<number, Float64Array>();
/** An index in 0..n-1, drawn with weights 1/(i+1) (Zipf, s = 1). */
export function zipfIndex(rnd: Rng, n: number): number {
  let cumulative = cumulativeCache.get(n);
  if (!cumulative) {
    cumulative = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) cumulative[i] = sum += 1 / (i + 1);
    cumulativeCache.set(n, cumulative);
  }
  const target = rnd.next() * cumulative[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rare name of this rank in the synthetic tail: syllables spelling the rank in base 40. */
export function tailName(language: Language, rank: number): string {
  const syllables = KITS[language].syllables;
  let n = rank + syllables.length; // at least two syllables
  let word = '';
  while (n > 0) {
    word = syllables[n % syllables.length]! + word;
    n = Math.floor(n / syllables.length);
  }
  return language === 'ar' ? word : word[0]!.toUpperCase() + word.slice(1);
}

/** A rank of the tail with weight ~1/rank (continuous Zipf: cheap for two million ranks). */
function tailRank(rnd: Rng): number {
  return Math.floor(Math.exp(rnd.next() * Math.log(TAIL + 1))) - 1;
}

const pickZipf = <T>(rnd: Rng, items: readonly T[]): T => items[zipfIndex(rnd, items.length)]!;

export function pickLanguage(rnd: Rng): Language {
  let r = rnd.next() * 100;
  for (const [language, weight] of LANGUAGE_WEIGHTS) if ((r -= weight) < 0) return language;
  return 'en';
}

function fill(rnd: Rng, language: Language, template: string, bold: boolean): string {
  const kit = KITS[language];
  let bolded = !bold;
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'art':
        return kit.article(rnd);
      case 'name':
        return pickZipf(rnd, kit.named).replace('{name}', tailName(language, tailRank(rnd)));
      case 'ref':
        return `${language === 'ar' ? '' : 'RG '}${20 + rnd.int(7)}/${String(rnd.int(100_000)).padStart(5, '0')}`;
      case 'lot':
        return `${String.fromCharCode(65 + rnd.int(26))}${rnd.int(10)}${String.fromCharCode(65 + rnd.int(26))}${1000 + rnd.int(9000)}`;
      case 'num':
        return String(2 + zipfIndex(rnd, 2000));
      default: {
        const value = pickZipf(rnd, kit.slots[slot as Slot]);
        if (bolded || slot !== 'term') return value;
        bolded = true;
        return `**${value}**`;
      }
    }
  });
}

/** Arabic as people type it: usually without harakat, sometimes without hamza on alef, rarely with tatweel. */
function arabicVariant(rnd: Rng, text: string): string {
  let out = text;
  if (rnd.next() < 0.6) out = out.replace(/[\u064b-\u0652\u0670]/g, '');
  if (rnd.next() < 0.3) out = out.replace(/[\u0623\u0625]/g, '\u0627');
  if (rnd.next() < 0.1) out = out.replace(/(\s[\u0621-\u064a]{2})([\u0621-\u064a]{2,}\s)/, '$1\u0640$2');
  return out;
}

/** A paragraph of `sentences` sentences in this language. */
function paragraph(rnd: Rng, language: Language, sentences: number): string {
  const kit = KITS[language];
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) {
    parts.push(fill(rnd, language, kit.sentences[rnd.int(kit.sentences.length)]!, rnd.next() < 0.1));
  }
  const text = parts.join(' ');
  return language === 'ar' ? arabicVariant(rnd, text) : text;
}

/** A post's markdown: paragraphs of sentences (an opening post is longer than a reply). */
export function postBody(rnd: Rng, language: Language, opening: boolean): string {
  const paragraphs = opening ? 2 + rnd.int(2) : 1 + (rnd.next() < 0.35 ? 1 : 0);
  return Array.from({ length: paragraphs }, () => paragraph(rnd, language, 1 + rnd.int(3))).join('\n\n');
}

/** The five sections of a legal analysis, one or two sentences each. */
export function analysisSections(rnd: Rng, language: Language, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, paragraph(rnd, language, 1 + rnd.int(2))]));
}

export function threadTitle(rnd: Rng, language: Language): string {
  const title = fill(rnd, language, pickZipf(rnd, KITS[language].titles), false);
  const text = title[0]!.toUpperCase() + title.slice(1);
  return (language === 'ar' ? arabicVariant(rnd, text) : text).slice(0, 200);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** The HTML `cookMarkdown` makes of plain paragraphs with `**bold**` (the only markdown postBody writes). */
export function cookParagraphs(markdown: string): string {
  return markdown
    .split('\n\n')
    .map(
      (p) => `<p>${p.replace(/[&<>]/g, (c) => ESCAPES[c]!).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')}</p>\n`,
    )
    .join('');
}

/**
 * Words of each frequency class to search for, before their document frequency is read from the
 * index: very common function words, legal vocabulary, phrases, prefixes, and rare names of the tail.
 */
export const SEARCH_CANDIDATES = {
  common: ['the', 'de', 'la', 'of', 'and', 'في', 'el', 'que', 'des'],
  medium: [
    'medicrime',
    'retention',
    'falsificados',
    'contrefacon',
    'custody',
    'confiscation',
    'pesticides',
    'untoc',
    'trips',
    'smuggling',
    'decomiso',
    'التهريب',
    'المصادرة',
    'blanqueo',
    'laundering',
    'extradition',
    'antimalarials',
  ],
  phrase: [
    '"retention douaniere"',
    '"chain of custody"',
    '"medicamentos falsificados"',
    '"الادوية المزيفة"',
    '"offer to supply"',
    '"art. 5"',
    '"5(1)(b)"',
    '"money laundering"',
  ],
  prefix: ['medic*', 'contref*', 'falsif*', 'counterf*', 'confisc*', 'custom*', 'اتفاق*', 'blan*'],
  /** Ranks of the tail from which rare names are taken (the reader filters them by document frequency). */
  rareRanks: Array.from({ length: 60 }, (_, i) => Math.round(200 * 1.16 ** i)),
};

export function rareCandidates(): string[] {
  return SEARCH_CANDIDATES.rareRanks.flatMap((rank) =>
    LANGUAGES.map((language) => tailName(language, rank).toLowerCase()),
  );
}
