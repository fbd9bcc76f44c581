/**
 * The people of the Gao story, drawn from a seed: three schools (Gao and Tombouctou in the north,
 * one in Bamako), their students from several regions, and the CSV files the schools send, each
 * in its own house style (French headers with semicolons, English headers, French with commas and
 * a BOM) and each with a few rows a real school would get wrong.
 *
 * Pure: no I/O. The same seed, count and day give byte-identical files, so uploading them again
 * changes nothing.
 */
import { integerBetween, pick, Random, shuffled, streamFor, weighted } from './prng';

export const NORTHERN_REGIONS = ['Gao', 'Tombouctou', 'Kidal', 'Ménaka', 'Taoudénit'] as const;
export const ELIGIBLE_PROGRAMMES = ['nursing', 'midwifery'] as const;

/** The programme's rules as json-rules-engine conditions over enrolment's facts. */
export const NORTHERN_NURSING_RULES = {
  all: [
    { fact: 'regionOfOrigin', operator: 'in', value: [...NORTHERN_REGIONS] },
    { fact: 'status', operator: 'equal', value: 'enrolled' },
    { fact: 'programmeOfStudy', operator: 'in', value: [...ELIGIBLE_PROGRAMMES] },
  ],
};

type CsvStyle = { language: 'fr' | 'en'; delimiter: ';' | ','; bom: boolean; crlf: boolean };

export interface SchoolPlan {
  code: string;
  name: string;
  region: string;
  city: string;
  /** Share of the students enrolled here. */
  share: number;
  csv: CsvStyle;
  regionWeights: readonly (readonly [string, number])[];
}

export const SCHOOLS: readonly SchoolPlan[] = [
  {
    code: 'ESS-GAO',
    name: 'École de santé de Gao',
    region: 'Gao',
    city: 'Gao',
    share: 0.4,
    csv: { language: 'fr', delimiter: ';', bom: true, crlf: true },
    regionWeights: [
      ['Gao', 50],
      ['Ménaka', 12],
      ['Kidal', 8],
      ['Tombouctou', 8],
      ['Mopti', 10],
      ['Ségou', 5],
      ['Bamako', 7],
    ],
  },
  {
    code: 'ESS-TOMBOUCTOU',
    name: 'École de santé de Tombouctou',
    region: 'Tombouctou',
    city: 'Tombouctou',
    share: 0.25,
    csv: { language: 'en', delimiter: ',', bom: false, crlf: false },
    regionWeights: [
      ['Tombouctou', 50],
      ['Taoudénit', 12],
      ['Gao', 10],
      ['Mopti', 15],
      ['Ségou', 6],
      ['Bamako', 7],
    ],
  },
  {
    code: 'INFSS-BAMAKO',
    name: 'Institut national de formation en sciences de la santé',
    region: 'Bamako',
    city: 'Bamako',
    share: 0.35,
    csv: { language: 'fr', delimiter: ',', bom: true, crlf: true },
    regionWeights: [
      ['Bamako', 35],
      ['Koulikoro', 15],
      ['Sikasso', 12],
      ['Ségou', 10],
      ['Kayes', 10],
      ['Mopti', 8],
      ['Gao', 5],
      ['Tombouctou', 5],
    ],
  },
];

const PROGRAMME_WEIGHTS: readonly (readonly [string, number])[] = [
  ['nursing', 50],
  ['midwifery', 25],
  ['obstetric-nursing', 10],
  ['medical-laboratory', 8],
  ['pharmacy', 7],
];

const PROGRAMME_NAMES: Record<'fr' | 'en', Record<string, string>> = {
  fr: {
    nursing: 'Soins infirmiers',
    midwifery: 'Sage-femme',
    'obstetric-nursing': 'Infirmier obstétricien',
    'medical-laboratory': 'Laboratoire',
    pharmacy: 'Pharmacie',
  },
  en: {
    nursing: 'nursing',
    midwifery: 'midwifery',
    'obstetric-nursing': 'obstetric nursing',
    'medical-laboratory': 'medical laboratory',
    pharmacy: 'pharmacy',
  },
};

/** How the English file spells some regions (the service knows these aliases). */
const ENGLISH_REGION_SPELLING: Record<string, string> = {
  Tombouctou: 'Timbuktu',
  Ménaka: 'Menaka',
  Taoudénit: 'Taoudeni',
  Ségou: 'Segou',
};

const FEMALE_NAMES = [
  'Aïssata',
  'Fatoumata',
  'Mariam',
  'Oumou',
  'Kadidia',
  'Hawa',
  'Awa',
  'Djénéba',
  'Ramata',
  'Fadimata',
  'Zeïnabou',
  'Aminata',
  'Salimata',
  'Nana',
  'Mariama',
  'Assétou',
];
const MALE_NAMES = [
  'Sékou',
  'Boubacar',
  'Moussa',
  'Ibrahim',
  'Amadou',
  'Mamadou',
  'Souleymane',
  'Ousmane',
  'Abdoulaye',
  'Hamadoun',
  'Alassane',
  'Mahamane',
  'Tahirou',
  'Bakary',
  'Issa',
  'Youssouf',
];
const LAST_NAMES = [
  'Maïga',
  'Touré',
  'Cissé',
  "N'Diaye",
  'Ould Mohamed',
  'Haïdara',
  'Traoré',
  'Diallo',
  'Coulibaly',
  'Keïta',
  'Sidibé',
  'Dicko',
  'Ag Alhassane',
  'Walet Intallah',
  'Sangaré',
  'Konaté',
  'Diarra',
  'Dembélé',
  'Kanté',
  'Doumbia',
  'Sow',
  'Bah',
];

export interface StudentPlan {
  index: number;
  nationalId: string;
  firstName: string;
  lastName: string;
  sex: 'F' | 'M';
  /** YYYY-MM-DD */
  dateOfBirth: string;
  /** Canonical region name, as enrolment stores it. */
  regionOfOrigin: string;
  schoolCode: string;
  /** Programme code, as enrolment stores it. */
  programmeOfStudy: string;
  intakeYear: number;
  /** E.164, or null for a student who gave no number. */
  phone: string | null;
}

export type BadRowKind = 'impossible date' | 'bad phone' | 'unknown region';

export interface BadRowPlan {
  nationalId: string;
  schoolCode: string;
  kind: BadRowKind;
  /** The column the school's file names, where the import must report the problem. */
  column: string;
}

export interface Population {
  seed: number;
  schools: readonly SchoolPlan[];
  students: StudentPlan[];
  badRows: BadRowPlan[];
  /** The CSV each school uploads. */
  files: Map<string, string>;
}

/** Which header each field has in a school's file, by language. */
const HEADERS = {
  fr: {
    nationalId: 'nina',
    firstName: 'prénom',
    lastName: 'nom',
    sex: 'sexe',
    dateOfBirth: 'date_de_naissance',
    regionOfOrigin: 'région_d_origine',
    schoolCode: 'code_ecole',
    programmeOfStudy: 'filière',
    intakeYear: 'année_d_entrée',
    phone: 'téléphone',
  },
  en: {
    nationalId: 'national_id',
    firstName: 'first_name',
    lastName: 'last_name',
    sex: 'sex',
    dateOfBirth: 'date_of_birth',
    regionOfOrigin: 'region_of_origin',
    schoolCode: 'school_code',
    programmeOfStudy: 'programme_of_study',
    intakeYear: 'intake_year',
    phone: 'phone',
    operator: 'operator',
  },
} as const;

export function isNorthern(region: string): boolean {
  return (NORTHERN_REGIONS as readonly string[]).includes(region);
}

/** What the programme's rules decide for an enrolled student (every student of the story is enrolled). */
export function isEligible(student: Pick<StudentPlan, 'regionOfOrigin' | 'programmeOfStudy'>): boolean {
  return (
    isNorthern(student.regionOfOrigin) &&
    (ELIGIBLE_PROGRAMMES as readonly string[]).includes(student.programmeOfStudy)
  );
}

/** A national id that cannot collide with another seed's students. */
export function nationalIdOf(seed: number, index: number): string {
  return `SP${seed}-${String(index).padStart(5, '0')}`;
}

/**
 * A distinct Malian mobile number per student: the prefix cycles over 60-79 (Moov 6x, Orange 7x),
 * the six digits step by 7 from a seed-dependent start, so two students never share a number.
 */
export function phoneOf(seed: number, index: number): string {
  const start = Math.abs(Math.imul(seed, 2654435761)) % 1_000_000;
  const prefix = 60 + ((index + (seed % 20)) % 20);
  const digits = (start + index * 7) % 1_000_000;
  return `+223${prefix}${String(digits).padStart(6, '0')}`;
}

export function planPopulation(seed: number, count: number, today: Date = new Date()): Population {
  if (!Number.isInteger(count) || count < 12) throw new Error('the story needs at least 12 students');
  const random = streamFor(seed, 'students');
  const year = today.getUTCFullYear();
  const students: StudentPlan[] = [];
  for (let index = 0; index < count; index += 1) {
    // Every school gets a student before the shares decide the rest.
    const school =
      index < SCHOOLS.length
        ? SCHOOLS[index]
        : weighted(
            random,
            SCHOOLS.map((plan) => [plan, plan.share] as const),
          );
    const sex = random() < 0.65 ? 'F' : 'M';
    const intakeYear = year - integerBetween(random, 1, 2);
    const birthYear = intakeYear - integerBetween(random, 18, 24);
    const dateOfBirth = `${birthYear}-${String(integerBetween(random, 1, 12)).padStart(2, '0')}-${String(integerBetween(random, 1, 28)).padStart(2, '0')}`;
    const hasPhone = random() >= 0.04;
    students.push({
      index,
      nationalId: nationalIdOf(seed, index),
      firstName: pick(random, sex === 'F' ? FEMALE_NAMES : MALE_NAMES),
      lastName: pick(random, LAST_NAMES),
      sex,
      dateOfBirth,
      regionOfOrigin: weighted(random, school.regionWeights),
      schoolCode: school.code,
      programmeOfStudy: weighted(random, PROGRAMME_WEIGHTS),
      intakeYear,
      phone: hasPhone ? phoneOf(seed, index) : null,
    });
  }

  const badRows: BadRowPlan[] = [];
  const files = new Map<string, string>();
  for (const school of SCHOOLS) {
    const own = students.filter((student) => student.schoolCode === school.code);
    const bad = (['impossible date', 'bad phone', 'unknown region'] as const).map((kind, number) => {
      const headers = HEADERS[school.csv.language];
      const column =
        kind === 'impossible date'
          ? headers.dateOfBirth
          : kind === 'bad phone'
            ? headers.phone
            : headers.regionOfOrigin;
      return {
        nationalId: `SP${seed}-${school.code}-X${number + 1}`,
        schoolCode: school.code,
        kind,
        column,
      } satisfies BadRowPlan;
    });
    badRows.push(...bad);
    const phones = bad.map((_, number) => phoneOf(seed, count + SCHOOLS.indexOf(school) * 3 + number));
    files.set(school.code, schoolCsv(school, own, bad, phones, streamFor(seed, `bad-rows:${school.code}`)));
  }
  return { seed, schools: SCHOOLS, students, badRows, files };
}

function quote(value: string, delimiter: string): string {
  return value.includes(delimiter) || value.includes('"') || value.includes('\n')
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

/** "+22376123456" as schools write it: "76 12 34 56" (French files) or "+223 76 12 34 56". */
function writtenPhone(e164: string, language: 'fr' | 'en'): string {
  const national = e164.slice(4);
  const spaced = national.replace(/(\d{2})(?=\d)/g, '$1 ');
  return language === 'fr' ? spaced : `+223 ${spaced}`;
}

function frenchDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}

function schoolCsv(
  school: SchoolPlan,
  students: StudentPlan[],
  bad: BadRowPlan[],
  badPhones: string[],
  random: Random,
): string {
  const { language, delimiter } = school.csv;
  const headers: Record<string, string> = HEADERS[language];
  const columns = Object.keys(headers);
  const rows: string[][] = [columns.map((column) => headers[column])];
  const cells = (student: StudentPlan, overrides: Partial<Record<string, string>> = {}): string[] =>
    columns.map((column) => {
      if (overrides[column] !== undefined) return overrides[column]!;
      switch (column) {
        case 'sex':
          return language === 'fr' && school.code === 'INFSS-BAMAKO'
            ? student.sex === 'F'
              ? 'féminin'
              : 'masculin'
            : student.sex;
        case 'dateOfBirth':
          return language === 'fr' ? frenchDate(student.dateOfBirth) : student.dateOfBirth;
        case 'regionOfOrigin':
          return language === 'en'
            ? (ENGLISH_REGION_SPELLING[student.regionOfOrigin] ?? student.regionOfOrigin)
            : student.regionOfOrigin;
        case 'programmeOfStudy':
          return PROGRAMME_NAMES[language][student.programmeOfStudy];
        case 'intakeYear':
          return String(student.intakeYear);
        case 'phone':
          return student.phone ? writtenPhone(student.phone, language) : '';
        case 'operator':
          return student.phone ? (student.phone.startsWith('+2237') ? 'Orange Money' : 'Moov Africa') : '';
        default:
          return String(student[column as keyof StudentPlan] ?? '');
      }
    });
  const body = students.map((student) => cells(student));
  // The bad rows look like everyone else's, but for one value each.
  for (const [number, row] of bad.entries()) {
    const template = students[Math.floor(random() * students.length)];
    const fake: StudentPlan = { ...template, nationalId: row.nationalId, phone: badPhones[number] };
    const overrides =
      row.kind === 'impossible date'
        ? { dateOfBirth: language === 'fr' ? '31/02/2001' : '2001-02-31' }
        : row.kind === 'bad phone'
          ? { phone: '12 34 5' }
          : { regionOfOrigin: 'Atlantide' };
    body.splice(Math.floor(random() * (body.length + 1)), 0, cells(fake, overrides));
  }
  rows.push(...body);
  const newline = school.csv.crlf ? '\r\n' : '\n';
  const text =
    rows.map((row) => row.map((cell) => quote(cell, delimiter)).join(delimiter)).join(newline) + newline;
  return (school.csv.bom ? '\ufeff' : '') + text;
}

/** The students whose wallets the provider has blocked: one or two awarded students with a phone. */
export function blockedStudents(population: Population): StudentPlan[] {
  const candidates = population.students.filter((student) => isEligible(student) && student.phone !== null);
  const count = candidates.length >= 20 ? 2 : 1;
  return shuffled(streamFor(population.seed, 'blocked'), candidates).slice(0, count);
}

/** The one student who misses the exam: their row in the results file says "absent", which is not a result. */
export function absentStudent(population: Population): StudentPlan {
  return pick(streamFor(population.seed, 'absent'), population.students);
}

export const PASS_PROBABILITY = { recipient: 0.64, nonRecipient: 0.29 } as const;

export interface ExamDraw {
  nationalId: string;
  passed: boolean;
  /** Out of 20, two decimals at most. */
  score: number;
}

/**
 * Exam outcomes: each student draws two numbers from the exam stream, in national-id order, whatever
 * their group, so one student's status never shifts another's draw. Recipients pass with
 * probability 0.64, others 0.29 (the Gao figures).
 */
export function drawExamResults(
  seed: number,
  sitters: readonly { nationalId: string; recipient: boolean }[],
): ExamDraw[] {
  const random = streamFor(seed, 'exam');
  return [...sitters]
    .sort((a, b) => (a.nationalId < b.nationalId ? -1 : a.nationalId > b.nationalId ? 1 : 0))
    .map((sitter) => {
      const outcome = random();
      const grade = random();
      const passed =
        outcome < (sitter.recipient ? PASS_PROBABILITY.recipient : PASS_PROBABILITY.nonRecipient);
      const score = passed ? 10 + grade * 8 : 3 + grade * 6.99;
      return { nationalId: sitter.nationalId, passed, score: Math.round(score * 100) / 100 };
    });
}

/** The results file the evaluator uploads (French, semicolons): one row per sitter plus the absentee's. */
export function examResultsCsv(
  rows: readonly { studentId: string; passed: boolean; score: number }[],
  absentStudentId: string | null,
): string {
  const lines = ['student_id;résultat;note'];
  for (const row of rows)
    lines.push(
      `${row.studentId};${row.passed ? 'admis' : 'ajourné'};${row.score.toFixed(2).replace('.', ',')}`,
    );
  if (absentStudentId) lines.push(`${absentStudentId};absent;`);
  return `${lines.join('\r\n')}\r\n`;
}
