import type { applicationStatusValues, professionValues, roleValues } from '../schema.js';

export interface DemoApplication {
  status: Extract<(typeof applicationStatusValues)[number], 'draft' | 'submitted' | 'info_requested' | 'rejected'>;
  /** Days before the seed's "now" that the account applied. */
  daysAgo: number;
  profession: (typeof professionValues)[number];
  position: string;
  institution: string;
  jurisdictionCode: string;
  otherJurisdictions: string[];
  languages: string[];
  professionalEmail: string | null;
  expertise: string;
  reason: string;
  referee: { name: string; position: string; email: string } | null;
  /** The moderator's question (info_requested) or the rejection reason (rejected), and who wrote it. */
  decision?: { by: string; message: string };
}

export interface DemoPerson {
  email: string;
  displayName: string;
  role: (typeof roleValues)[number];
  profession: (typeof professionValues)[number] | null;
  position: string | null;
  institution: string | null;
  jurisdictionCode: string | null;
  languages: string[];
  otherJurisdictions: string[];
  /** Months since the badge was verified (members); past 24 the badge is due for re-verification. */
  verifiedMonthsAgo: number | null;
  /** Jurisdictions a moderator covers. */
  moderates: string[];
  application: DemoApplication | null;
}

/** Shared by every demo account; printed once at start. Never used in production. */
export const DEMO_PASSWORD = 'lexforum-demo-2026';

/**
 * The demo moderators' and admin's authenticator key (base32, 20 bytes), printed at start with the
 * password: staff must have a second factor, so the demo enrols them with this one. Add it to an
 * authenticator app to sign in as them. Never used in production (no demo data there).
 */
export const DEMO_TOTP_SECRET = 'LEXFORUMDEMOSTAFFKEYTWOTOTPDEMOS';

/** RFC 4648 base32 to bytes (the demo key). */
export function decodeDemoBase32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text) {
    value = ((value << 5) | alphabet.indexOf(char)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

const vetted = (
  email: string,
  displayName: string,
  role: DemoPerson['role'],
  profession: NonNullable<DemoPerson['profession']>,
  position: string,
  institution: string,
  jurisdictionCode: string,
  more: Partial<Pick<DemoPerson, 'languages' | 'otherJurisdictions' | 'verifiedMonthsAgo' | 'moderates'>> = {},
): DemoPerson => ({
  email,
  displayName,
  role,
  profession,
  position,
  institution,
  jurisdictionCode,
  languages: ['en'],
  otherJurisdictions: [],
  verifiedMonthsAgo: 6,
  moderates: [],
  application: null,
  ...more,
});

const applicant = (email: string, displayName: string, application: DemoApplication | null): DemoPerson => ({
  email,
  displayName,
  role: 'applicant',
  profession: null,
  position: null,
  institution: null,
  jurisdictionCode: null,
  languages: [],
  otherJurisdictions: [],
  verifiedMonthsAgo: null,
  moderates: [],
  application,
});

/** Fictional people at plausible institutions, across continents. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  vetted(
    'admin@lexforum.test',
    'Hélène Marchal',
    'admin',
    'international_official',
    'Legal Programme Coordinator',
    'Illicit Goods Legal Programme',
    'INT',
    { languages: ['fr', 'en', 'es'], verifiedMonthsAgo: 10 },
  ),
  vetted(
    'daniel@lexforum.test',
    'Daniel Kiprono',
    'moderator',
    'prosecutor',
    'Senior Assistant Director of Public Prosecutions',
    'Office of the Director of Public Prosecutions',
    'KE',
    { languages: ['en', 'sw'], otherJurisdictions: ['EAC'], moderates: ['KE', 'UG', 'TZ', 'NG', 'ZA', 'EAC'] },
  ),
  vetted(
    'sofia@lexforum.test',
    'Sofía Ramírez Ortega',
    'moderator',
    'judge',
    'Magistrada, Sala de lo Penal',
    'Audiencia Nacional',
    'ES',
    {
      languages: ['es', 'en', 'pt'],
      otherJurisdictions: ['EU'],
      moderates: ['ES', 'FR', 'PT', 'BR', 'MX', 'AR', 'EU'],
    },
  ),
  vetted(
    'adebayo@lexforum.test',
    'Adebayo Olaniyan',
    'member',
    'prosecutor',
    'Principal State Counsel',
    'Federal Ministry of Justice, Department of Public Prosecutions',
    'NG',
    { languages: ['en', 'yo', 'ha'], otherJurisdictions: ['ECOWAS', 'GH'], verifiedMonthsAgo: 14 },
  ),
  vetted(
    'camille@lexforum.test',
    'Camille Durand',
    'member',
    'investigating_magistrate',
    "Juge d'instruction, pôle santé publique",
    'Tribunal judiciaire de Paris',
    'FR',
    { languages: ['fr', 'en'], otherJurisdictions: ['EU', 'COE'], verifiedMonthsAgo: 8 },
  ),
  vetted(
    'lan@lexforum.test',
    'Nguyễn Thị Lan',
    'member',
    'judge',
    'Judge, Criminal Division',
    "People's Court of Hanoi",
    'VN',
    {
      languages: ['vi', 'en'],
      otherJurisdictions: ['ASEAN'],
      verifiedMonthsAgo: 3,
    },
  ),
  vetted(
    'rafael@lexforum.test',
    'Rafael Costa Lima',
    'member',
    'prosecutor',
    'Procurador da República',
    'Ministério Público Federal',
    'BR',
    { languages: ['pt', 'es', 'en'], otherJurisdictions: ['MERCOSUR', 'PY'], verifiedMonthsAgo: 26 },
  ),
  vetted(
    'aisha@lexforum.test',
    'Aisha Al-Mansouri',
    'member',
    'government_legal_adviser',
    'Legal Adviser, Intellectual Property Crimes',
    'Ministry of Justice',
    'AE',
    { languages: ['ar', 'en'], otherJurisdictions: ['GCC'], verifiedMonthsAgo: 11 },
  ),
  vetted(
    'johan@lexforum.test',
    'Johan Lindqvist',
    'member',
    'customs_officer',
    'Senior Legal Officer, Enforcement',
    'Swedish Customs',
    'SE',
    { languages: ['sv', 'en', 'de'], otherJurisdictions: ['EU', 'NO'], verifiedMonthsAgo: 19 },
  ),
  vetted(
    'priya@lexforum.test',
    'Priya Raghavan',
    'member',
    'judge',
    'Additional Sessions Judge',
    'City Civil and Sessions Court, Mumbai',
    'IN',
    { languages: ['en', 'hi'], verifiedMonthsAgo: 25 },
  ),
  vetted(
    'thabo@lexforum.test',
    'Thabo Nkosi',
    'member',
    'prosecutor',
    'Senior State Advocate',
    'National Prosecuting Authority, Specialised Commercial Crime Unit',
    'ZA',
    { languages: ['en', 'zu'], otherJurisdictions: ['SADC'], verifiedMonthsAgo: 25 },
  ),
  applicant('marta@lexforum.test', 'Marta Kowalska', {
    status: 'submitted',
    daysAgo: 4,
    profession: 'prosecutor',
    position: 'Prokurator, Department for Organised Crime',
    institution: 'National Prosecutor’s Office',
    jurisdictionCode: 'PL',
    otherJurisdictions: ['EU'],
    languages: ['pl', 'en', 'de'],
    professionalEmail: 'marta.kowalska@pk.gov.pl',
    expertise:
      'Seven years prosecuting cross-border trade in counterfeit pesticides and falsified medicines, including two joint investigation teams with German and Lithuanian prosecutors.',
    reason:
      'I want to compare evidence practices on laboratory analysis of seized goods with colleagues outside the EU.',
    referee: { name: 'Tomasz Nowak', position: 'Deputy Prosecutor General', email: 't.nowak@pk.gov.pl' },
  }),
  applicant('carlos@lexforum.test', 'Carlos Mendoza', {
    status: 'info_requested',
    daysAgo: 6,
    profession: 'law_enforcement_investigator',
    position: 'Investigator',
    institution: 'Fiscalía General de la República',
    jurisdictionCode: 'MX',
    otherJurisdictions: [],
    languages: ['es', 'en'],
    professionalEmail: null,
    expertise: 'Investigations into illicit fuel theft networks (huachicol) and their financing since 2019.',
    reason: 'To learn how prosecutors elsewhere charge fuel theft as organised crime.',
    referee: null,
    decision: {
      by: 'sofia@lexforum.test',
      message:
        'Could you give us the unit you work in and a professional email address, so that we can confirm your position with the Fiscalía?',
    },
  }),
  applicant('grace@lexforum.test', 'Grace Wanjiku', {
    status: 'submitted',
    daysAgo: 2,
    profession: 'judge',
    position: 'Senior Principal Magistrate',
    institution: 'Judiciary of Kenya, Milimani Law Courts',
    jurisdictionCode: 'KE',
    otherJurisdictions: ['EAC'],
    languages: ['en', 'sw'],
    professionalEmail: 'g.wanjiku@court.go.ke',
    expertise:
      'I preside over wildlife and counterfeit goods cases under the Anti-Counterfeit Act and the Wildlife Act.',
    reason: 'Sentencing in wildlife cases varies across the region; I would like to discuss it with peers.',
    referee: null,
  }),
  applicant('kwame@lexforum.test', 'Kwame Mensah', {
    status: 'submitted',
    daysAgo: 1,
    profession: 'customs_officer',
    position: 'Legal Officer',
    institution: 'Ghana Revenue Authority, Customs Division',
    jurisdictionCode: 'NG',
    otherJurisdictions: ['GH', 'ECOWAS'],
    languages: ['en'],
    professionalEmail: null,
    expertise: 'Detention of suspected counterfeit goods at the border and referral to prosecutors.',
    reason: 'To understand what evidence prosecutors need from customs for a conviction.',
    referee: null,
  }),
  applicant('pierre@lexforum.test', 'Pierre Lefèvre', {
    status: 'draft',
    daysAgo: 0,
    profession: 'academic',
    position: 'Maître de conférences en droit pénal',
    institution: 'Université de Lyon',
    jurisdictionCode: 'FR',
    otherJurisdictions: [],
    languages: ['fr'],
    professionalEmail: null,
    expertise: '',
    reason: '',
    referee: null,
  }),
  applicant('viktor@lexforum.test', 'Viktor Hale', {
    status: 'rejected',
    daysAgo: 9,
    profession: 'private_sector_counsel',
    position: 'Brand protection consultant',
    institution: 'Hale Brand Services Ltd',
    jurisdictionCode: 'ES',
    otherJurisdictions: [],
    languages: ['en'],
    professionalEmail: null,
    expertise: 'Brand protection investigations for luxury goods companies.',
    reason: 'To find prosecutors who would take on our clients’ cases.',
    referee: null,
    decision: {
      by: 'sofia@lexforum.test',
      message:
        'LexForum is open to judges, prosecutors and other criminal-justice officers. The role you describe falls outside that membership.',
    },
  }),
];
