import { foldForComparison } from '../../common/text';

/** The student fields a CSV file can carry, by their API names. */
export type StudentField =
  | 'nationalId'
  | 'firstName'
  | 'lastName'
  | 'sex'
  | 'dateOfBirth'
  | 'regionOfOrigin'
  | 'schoolCode'
  | 'programmeOfStudy'
  | 'intakeYear'
  | 'phone'
  | 'operator';

export const REQUIRED_FIELDS: readonly StudentField[] = [
  'nationalId',
  'firstName',
  'lastName',
  'sex',
  'dateOfBirth',
  'regionOfOrigin',
  'schoolCode',
  'programmeOfStudy',
  'intakeYear',
];

/**
 * Header names schools use, in English and French, folded (lower case, no accents, words joined
 * by "_"). The first name of each list is the one error messages suggest.
 */
export const HEADER_ALIASES: Readonly<Record<StudentField, readonly string[]>> = {
  nationalId: [
    'national_id',
    'nina',
    'nationalid',
    'national_id_number',
    'numero_nina',
    'no_nina',
    'n_nina',
    'num_nina',
    'id_national',
    'identifiant_national',
    'numero_national',
  ],
  firstName: ['first_name', 'prenom', 'firstname', 'given_name', 'given_names', 'prenoms'],
  lastName: ['last_name', 'nom', 'lastname', 'surname', 'family_name', 'nom_de_famille'],
  sex: ['sex', 'sexe', 'gender', 'genre'],
  dateOfBirth: [
    'date_of_birth',
    'date_de_naissance',
    'dob',
    'birth_date',
    'birthdate',
    'date_naissance',
    'ne_le',
    'nee_le',
    'ne_e_le',
  ],
  regionOfOrigin: [
    'region_of_origin',
    'region_d_origine',
    'region_origine',
    'region',
    'origin_region',
    'home_region',
    'region_de_provenance',
  ],
  schoolCode: [
    'school_code',
    'code_ecole',
    'ecole',
    'school',
    'code_de_l_ecole',
    'etablissement',
    'code_etablissement',
  ],
  programmeOfStudy: [
    'programme_of_study',
    'filiere',
    'programme',
    'program',
    'program_of_study',
    'programme_d_etudes',
    'course',
    'specialite',
    'formation',
  ],
  intakeYear: [
    'intake_year',
    'annee_d_entree',
    'annee_entree',
    'promotion',
    'intake',
    'cohort',
    'year_of_intake',
    'annee_d_admission',
    'annee_admission',
  ],
  phone: [
    'phone',
    'telephone',
    'phone_number',
    'mobile',
    'mobile_number',
    'msisdn',
    'tel',
    'numero_de_telephone',
    'numero_telephone',
    'portable',
  ],
  operator: ['operator', 'operateur', 'mobile_operator', 'network', 'reseau'],
};

/** French header names, for error messages. */
const FRENCH_NAMES: Readonly<Record<StudentField, string>> = {
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
  operator: 'opérateur',
};

const fieldByAlias = new Map<string, StudentField>(
  (Object.entries(HEADER_ALIASES) as [StudentField, readonly string[]][]).flatMap(([field, aliases]) =>
    aliases.map((alias) => [alias, field] as const),
  ),
);

export function foldHeaderName(name: string): string {
  return foldForComparison(name).replace(/ /g, '_');
}

export type Delimiter = ',' | ';' | '\t';

/** The delimiter the header line uses most (outside quotes): comma, semicolon or tab. */
export function sniffDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ',' || char === ';' || char === '\t')) counts[char] += 1;
  }
  const ranked = (Object.entries(counts) as [Delimiter, number][]).sort((a, b) => b[1] - a[1]);
  return ranked[0][1] > 0 ? ranked[0][0] : ',';
}

/** Splits one header line (quotes allowed, no line breaks inside). */
export function splitHeaderLine(line: string, delimiter: Delimiter): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        current += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        current += char;
      }
    } else if (char === '"' && current.trim() === '') {
      quoted = true;
      current = '';
    } else if (char === delimiter) {
      cells.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  cells.push(current.trim());
  return cells;
}

export interface RecognisedHeader {
  delimiter: Delimiter;
  /** Column index of each field found. */
  columnMap: Partial<Record<StudentField, number>>;
  /** The header cells as written. */
  headerNames: string[];
  /** Columns that name no student field; their values are not read. */
  ignoredColumns: string[];
}

export type HeaderProblem =
  | { kind: 'unrecognised'; message: string }
  | { kind: 'missing_columns'; message: string; missing: string[] }
  | { kind: 'duplicate_columns'; message: string; duplicates: string[] };

export type HeaderAnalysis = { ok: true; header: RecognisedHeader } | { ok: false; problem: HeaderProblem };

/** Reads the header line: which delimiter, which column holds which field, what is missing. */
export function analyseHeaderLine(line: string): HeaderAnalysis {
  const delimiter = sniffDelimiter(line);
  const headerNames = splitHeaderLine(line, delimiter);
  const columnMap: Partial<Record<StudentField, number>> = {};
  const ignoredColumns: string[] = [];
  const duplicates: string[] = [];
  headerNames.forEach((name, index) => {
    const field = fieldByAlias.get(foldHeaderName(name));
    if (!field) {
      if (name) ignoredColumns.push(name);
      return;
    }
    if (columnMap[field] !== undefined) {
      duplicates.push(`"${headerNames[columnMap[field]]}" and "${name}" both give ${describeField(field)}`);
      return;
    }
    columnMap[field] = index;
  });
  const found = Object.keys(columnMap).length;
  if (found === 0) {
    return {
      ok: false,
      problem: {
        kind: 'unrecognised',
        message:
          'the first line is not a header this service recognises; expected columns such as ' +
          `${REQUIRED_FIELDS.map((field) => HEADER_ALIASES[field][0]).join(', ')} ` +
          `(or in French: ${REQUIRED_FIELDS.map((field) => FRENCH_NAMES[field]).join(', ')})`,
      },
    };
  }
  if (duplicates.length) {
    return {
      ok: false,
      problem: {
        kind: 'duplicate_columns',
        message: `the header repeats a column: ${duplicates.join('; ')}`,
        duplicates,
      },
    };
  }
  const missing = REQUIRED_FIELDS.filter((field) => columnMap[field] === undefined);
  if (missing.length) {
    const names = missing.map(describeField);
    return {
      ok: false,
      problem: {
        kind: 'missing_columns',
        message: `the header lacks required columns: ${names.join(', ')}`,
        missing: names,
      },
    };
  }
  return { ok: true, header: { delimiter, columnMap, headerNames, ignoredColumns } };
}

export function describeField(field: StudentField): string {
  return `${HEADER_ALIASES[field][0]} (${FRENCH_NAMES[field]})`;
}
