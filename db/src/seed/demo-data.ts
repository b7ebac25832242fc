import type { professionValues, roleValues } from '../schema.js';

export interface DemoPerson {
  email: string;
  displayName: string;
  role: (typeof roleValues)[number];
  profession: (typeof professionValues)[number] | null;
  position: string | null;
  institution: string | null;
  jurisdictionCode: string | null;
}

/** Shared by every demo account; printed once at start. Never used in production. */
export const DEMO_PASSWORD = 'lexforum-demo-2026';

const vetted = (
  email: string,
  displayName: string,
  role: DemoPerson['role'],
  profession: NonNullable<DemoPerson['profession']>,
  position: string,
  institution: string,
  jurisdictionCode: string,
): DemoPerson => ({ email, displayName, role, profession, position, institution, jurisdictionCode });

const applicant = (email: string, displayName: string): DemoPerson => ({
  email,
  displayName,
  role: 'applicant',
  profession: null,
  position: null,
  institution: null,
  jurisdictionCode: null,
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
  ),
  vetted(
    'daniel@lexforum.test',
    'Daniel Kiprono',
    'moderator',
    'prosecutor',
    'Senior Assistant Director of Public Prosecutions',
    'Office of the Director of Public Prosecutions',
    'KE',
  ),
  vetted(
    'sofia@lexforum.test',
    'Sofía Ramírez Ortega',
    'moderator',
    'judge',
    'Magistrada, Sala de lo Penal',
    'Audiencia Nacional',
    'ES',
  ),
  vetted(
    'adebayo@lexforum.test',
    'Adebayo Olaniyan',
    'member',
    'prosecutor',
    'Principal State Counsel',
    'Federal Ministry of Justice, Department of Public Prosecutions',
    'NG',
  ),
  vetted(
    'camille@lexforum.test',
    'Camille Durand',
    'member',
    'investigating_magistrate',
    "Juge d'instruction, pôle santé publique",
    'Tribunal judiciaire de Paris',
    'FR',
  ),
  vetted(
    'lan@lexforum.test',
    'Nguyễn Thị Lan',
    'member',
    'judge',
    'Judge, Criminal Division',
    "People's Court of Hanoi",
    'VN',
  ),
  vetted(
    'rafael@lexforum.test',
    'Rafael Costa Lima',
    'member',
    'prosecutor',
    'Procurador da República',
    'Ministério Público Federal',
    'BR',
  ),
  vetted(
    'aisha@lexforum.test',
    'Aisha Al-Mansouri',
    'member',
    'government_legal_adviser',
    'Legal Adviser, Intellectual Property Crimes',
    'Ministry of Justice',
    'AE',
  ),
  vetted(
    'johan@lexforum.test',
    'Johan Lindqvist',
    'member',
    'customs_officer',
    'Senior Legal Officer, Enforcement',
    'Swedish Customs',
    'SE',
  ),
  vetted(
    'priya@lexforum.test',
    'Priya Raghavan',
    'member',
    'judge',
    'Additional Sessions Judge',
    'City Civil and Sessions Court, Mumbai',
    'IN',
  ),
  vetted(
    'thabo@lexforum.test',
    'Thabo Nkosi',
    'member',
    'prosecutor',
    'Senior State Advocate',
    'National Prosecuting Authority, Specialised Commercial Crime Unit',
    'ZA',
  ),
  applicant('marta@lexforum.test', 'Marta Kowalska'),
  applicant('carlos@lexforum.test', 'Carlos Mendoza'),
];
