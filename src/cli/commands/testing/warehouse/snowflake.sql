-- Preflight column contract urn:preflight:sample:patients-contract as one snowflake aggregate query.
-- Input: a table or view named patients with every column as text (empty cells NULL or '')
-- and preflight_row, the record's 1-based data row. See docs/scale.md.
-- Rows: kind, id, n, r, v (src/core/sql/warehouse.ts says what each kind holds).
-- Columns profiled, by id:
--   0: patient_id
--   1: mrn
--   2: last_name
--   3: first_name
--   4: middle_name
--   5: birth_date
--   6: sex
--   7: ssn
--   8: phone
--   9: email
--   10: address_line
--   11: city
--   12: state
--   13: postal_code
--   14: insurance_member_id
--   15: primary_care_provider
--   16: allergies
--   17: last_visit
-- Checks (id):
--   0: contract.required on column patient_id
--   1: contract.type on column patient_id
--   2: contract.pattern on column patient_id
--   3: contract.required on column mrn
--   4: contract.type on column mrn
--   5: contract.pattern on column mrn
--   6: contract.required on column last_name
--   7: contract.type on column last_name
--   8: contract.pattern on column last_name
--   9: contract.minLength on column last_name
--   10: contract.maxLength on column last_name
--   11: contract.required on column first_name
--   12: contract.type on column first_name
--   13: contract.pattern on column first_name
--   14: contract.minLength on column first_name
--   15: contract.maxLength on column first_name
--   16: contract.type on column middle_name
--   17: contract.pattern on column middle_name
--   18: contract.maxLength on column middle_name
--   19: contract.required on column birth_date
--   20: contract.type on column birth_date
--   21: contract.pattern on column birth_date
--   22: contract.format on column birth_date
--   23: contract.required on column sex
--   24: contract.type on column sex
--   25: contract.enum on column sex
--   26: contract.type on column ssn
--   27: contract.pattern on column ssn
--   28: contract.type on column phone
--   29: contract.pattern on column phone
--   30: contract.type on column email
--   31: contract.format on column email
--   32: contract.maxLength on column email
--   33: contract.type on column address_line
--   34: contract.pattern on column address_line
--   35: contract.maxLength on column address_line
--   36: contract.type on column city
--   37: contract.pattern on column city
--   38: contract.maxLength on column city
--   39: contract.type on column state
--   40: contract.pattern on column state
--   41: contract.type on column postal_code
--   42: contract.pattern on column postal_code
--   43: contract.type on column insurance_member_id
--   44: contract.pattern on column insurance_member_id
--   45: contract.type on column primary_care_provider
--   46: contract.maxLength on column primary_care_provider
--   47: contract.required on column allergies
--   48: contract.type on column allergies
--   49: contract.pattern on column allergies
--   50: contract.type on column last_visit
--   51: contract.pattern on column last_visit
--   52: contract.format on column last_visit

WITH typed AS (
  SELECT *, COALESCE("patient_id", '') = '' AND COALESCE("mrn", '') = '' AND COALESCE("last_name", '') = '' AND COALESCE("first_name", '') = '' AND COALESCE("middle_name", '') = '' AND COALESCE("birth_date", '') = '' AND COALESCE("sex", '') = '' AND COALESCE("ssn", '') = '' AND COALESCE("phone", '') = '' AND COALESCE("email", '') = '' AND COALESCE("address_line", '') = '' AND COALESCE("city", '') = '' AND COALESCE("state", '') = '' AND COALESCE("postal_code", '') = '' AND COALESCE("insurance_member_id", '') = '' AND COALESCE("primary_care_provider", '') = '' AND COALESCE("allergies", '') = '' AND COALESCE("last_visit", '') = '' AS "#blank",
    CAST(NULL AS DOUBLE) AS "patient_id#n",
    CAST(NULL AS BOOLEAN) AS "patient_id#b",
    CAST(NULL AS DOUBLE) AS "mrn#n",
    CAST(NULL AS BOOLEAN) AS "mrn#b",
    CAST(NULL AS DOUBLE) AS "last_name#n",
    CAST(NULL AS BOOLEAN) AS "last_name#b",
    CAST(NULL AS DOUBLE) AS "first_name#n",
    CAST(NULL AS BOOLEAN) AS "first_name#b",
    CAST(NULL AS DOUBLE) AS "middle_name#n",
    CAST(NULL AS BOOLEAN) AS "middle_name#b",
    CAST(NULL AS DOUBLE) AS "birth_date#n",
    CAST(NULL AS BOOLEAN) AS "birth_date#b",
    CAST(NULL AS DOUBLE) AS "sex#n",
    CAST(NULL AS BOOLEAN) AS "sex#b",
    CAST(NULL AS DOUBLE) AS "ssn#n",
    CAST(NULL AS BOOLEAN) AS "ssn#b",
    CAST(NULL AS DOUBLE) AS "phone#n",
    CAST(NULL AS BOOLEAN) AS "phone#b",
    CAST(NULL AS DOUBLE) AS "email#n",
    CAST(NULL AS BOOLEAN) AS "email#b",
    CAST(NULL AS DOUBLE) AS "address_line#n",
    CAST(NULL AS BOOLEAN) AS "address_line#b",
    CAST(NULL AS DOUBLE) AS "city#n",
    CAST(NULL AS BOOLEAN) AS "city#b",
    CAST(NULL AS DOUBLE) AS "state#n",
    CAST(NULL AS BOOLEAN) AS "state#b",
    CAST(NULL AS DOUBLE) AS "postal_code#n",
    CAST(NULL AS BOOLEAN) AS "postal_code#b",
    CAST(NULL AS DOUBLE) AS "insurance_member_id#n",
    CAST(NULL AS BOOLEAN) AS "insurance_member_id#b",
    CAST(NULL AS DOUBLE) AS "primary_care_provider#n",
    CAST(NULL AS BOOLEAN) AS "primary_care_provider#b",
    CAST(NULL AS DOUBLE) AS "allergies#n",
    CAST(NULL AS BOOLEAN) AS "allergies#b",
    CAST(NULL AS DOUBLE) AS "last_visit#n",
    CAST(NULL AS BOOLEAN) AS "last_visit#b"
  FROM "patients"
),
flags AS (
  SELECT "preflight_row", "#blank", "patient_id", "mrn", "last_name", "first_name", "middle_name", "birth_date", "sex", "ssn", "phone", "email", "address_line", "city", "state", "postal_code", "insurance_member_id", "primary_care_provider", "allergies", "last_visit",
    (NOT "#blank" AND CASE WHEN NOT ("patient_id" IS NOT NULL AND "patient_id" <> '') THEN TRUE ELSE FALSE END) AS "#f0",
    (NOT "#blank" AND CASE WHEN (("patient_id" IS NOT NULL AND "patient_id" <> '') AND NOT (("patient_id#n" IS NULL AND "patient_id#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f1",
    (NOT "#blank" AND CASE WHEN (("patient_id" IS NOT NULL AND "patient_id" <> '') AND (("patient_id#n" IS NULL AND "patient_id#b" IS NULL) AND (NOT (REGEXP_INSTR("patient_id", '^P[0-9]{6}$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f2",
    (NOT "#blank" AND CASE WHEN NOT ("mrn" IS NOT NULL AND "mrn" <> '') THEN TRUE ELSE FALSE END) AS "#f3",
    (NOT "#blank" AND CASE WHEN (("mrn" IS NOT NULL AND "mrn" <> '') AND NOT (("mrn#n" IS NULL AND "mrn#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f4",
    (NOT "#blank" AND CASE WHEN (("mrn" IS NOT NULL AND "mrn" <> '') AND (("mrn#n" IS NULL AND "mrn#b" IS NULL) AND (NOT (REGEXP_INSTR("mrn", '^[0-9]{8}$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f5",
    (NOT "#blank" AND CASE WHEN NOT ("last_name" IS NOT NULL AND "last_name" <> '') THEN TRUE ELSE FALSE END) AS "#f6",
    (NOT "#blank" AND CASE WHEN (("last_name" IS NOT NULL AND "last_name" <> '') AND NOT (("last_name#n" IS NULL AND "last_name#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f7",
    (NOT "#blank" AND CASE WHEN (("last_name" IS NOT NULL AND "last_name" <> '') AND (("last_name#n" IS NULL AND "last_name#b" IS NULL) AND (NOT (REGEXP_INSTR("last_name", '^[^	
    -     　﻿]([^
  ]*[^	
    -     　﻿])?$') > 0) OR (REGEXP_INSTR("last_name", '^([=+\\-@])') > 0)))) THEN TRUE ELSE FALSE END) AS "#f8",
    (NOT "#blank" AND CASE WHEN (("last_name" IS NOT NULL AND "last_name" <> '') AND (("last_name#n" IS NULL AND "last_name#b" IS NULL) AND LENGTH("last_name") < 1)) THEN TRUE ELSE FALSE END) AS "#f9",
    (NOT "#blank" AND CASE WHEN (("last_name" IS NOT NULL AND "last_name" <> '') AND (("last_name#n" IS NULL AND "last_name#b" IS NULL) AND LENGTH("last_name") > 60)) THEN TRUE ELSE FALSE END) AS "#f10",
    (NOT "#blank" AND CASE WHEN NOT ("first_name" IS NOT NULL AND "first_name" <> '') THEN TRUE ELSE FALSE END) AS "#f11",
    (NOT "#blank" AND CASE WHEN (("first_name" IS NOT NULL AND "first_name" <> '') AND NOT (("first_name#n" IS NULL AND "first_name#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f12",
    (NOT "#blank" AND CASE WHEN (("first_name" IS NOT NULL AND "first_name" <> '') AND (("first_name#n" IS NULL AND "first_name#b" IS NULL) AND (NOT (REGEXP_INSTR("first_name", '^[^	
    -     　﻿]([^
  ]*[^	
    -     　﻿])?$') > 0) OR (REGEXP_INSTR("first_name", '^([=+\\-@])') > 0)))) THEN TRUE ELSE FALSE END) AS "#f13",
    (NOT "#blank" AND CASE WHEN (("first_name" IS NOT NULL AND "first_name" <> '') AND (("first_name#n" IS NULL AND "first_name#b" IS NULL) AND LENGTH("first_name") < 1)) THEN TRUE ELSE FALSE END) AS "#f14",
    (NOT "#blank" AND CASE WHEN (("first_name" IS NOT NULL AND "first_name" <> '') AND (("first_name#n" IS NULL AND "first_name#b" IS NULL) AND LENGTH("first_name") > 60)) THEN TRUE ELSE FALSE END) AS "#f15",
    (NOT "#blank" AND CASE WHEN (("middle_name" IS NOT NULL AND "middle_name" <> '') AND NOT (("middle_name#n" IS NULL AND "middle_name#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f16",
    (NOT "#blank" AND CASE WHEN (("middle_name" IS NOT NULL AND "middle_name" <> '') AND (("middle_name#n" IS NULL AND "middle_name#b" IS NULL) AND (NOT (REGEXP_INSTR("middle_name", '^[^	
    -     　﻿]([^
  ]*[^	
    -     　﻿])?$') > 0) OR (REGEXP_INSTR("middle_name", '^([=+\\-@])') > 0)))) THEN TRUE ELSE FALSE END) AS "#f17",
    (NOT "#blank" AND CASE WHEN (("middle_name" IS NOT NULL AND "middle_name" <> '') AND (("middle_name#n" IS NULL AND "middle_name#b" IS NULL) AND LENGTH("middle_name") > 60)) THEN TRUE ELSE FALSE END) AS "#f18",
    (NOT "#blank" AND CASE WHEN NOT ("birth_date" IS NOT NULL AND "birth_date" <> '') THEN TRUE ELSE FALSE END) AS "#f19",
    (NOT "#blank" AND CASE WHEN (("birth_date" IS NOT NULL AND "birth_date" <> '') AND NOT (("birth_date#n" IS NULL AND "birth_date#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f20",
    (NOT "#blank" AND CASE WHEN (("birth_date" IS NOT NULL AND "birth_date" <> '') AND (("birth_date#n" IS NULL AND "birth_date#b" IS NULL) AND (NOT (REGEXP_INSTR("birth_date", '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f21",
    (NOT "#blank" AND CASE WHEN (("birth_date" IS NOT NULL AND "birth_date" <> '') AND (("birth_date#n" IS NULL AND "birth_date#b" IS NULL) AND NOT CASE WHEN (REGEXP_INSTR("birth_date", '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') > 0) THEN CAST(substr("birth_date", 6, 2) AS INTEGER) BETWEEN 1 AND 12 AND CAST(substr("birth_date", 9, 2) AS INTEGER) BETWEEN 1 AND (CASE WHEN CAST(substr("birth_date", 6, 2) AS INTEGER) = 2 THEN CASE WHEN (CAST(substr("birth_date", 1, 4) AS INTEGER) % 4 = 0 AND (CAST(substr("birth_date", 1, 4) AS INTEGER) % 100 <> 0 OR CAST(substr("birth_date", 1, 4) AS INTEGER) % 400 = 0)) THEN 29 ELSE 28 END WHEN CAST(substr("birth_date", 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30 ELSE 31 END) ELSE FALSE END)) THEN TRUE ELSE FALSE END) AS "#f22",
    (NOT "#blank" AND CASE WHEN NOT ("sex" IS NOT NULL AND "sex" <> '') THEN TRUE ELSE FALSE END) AS "#f23",
    (NOT "#blank" AND CASE WHEN (("sex" IS NOT NULL AND "sex" <> '') AND NOT (("sex#n" IS NULL AND "sex#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f24",
    (NOT "#blank" AND CASE WHEN (("sex" IS NOT NULL AND "sex" <> '') AND NOT CASE WHEN (("sex#n" IS NULL AND "sex#b" IS NULL) AND "sex" IN ('M', 'F', 'U')) THEN TRUE ELSE FALSE END) THEN TRUE ELSE FALSE END) AS "#f25",
    (NOT "#blank" AND CASE WHEN (("ssn" IS NOT NULL AND "ssn" <> '') AND NOT (("ssn#n" IS NULL AND "ssn#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f26",
    (NOT "#blank" AND CASE WHEN (("ssn" IS NOT NULL AND "ssn" <> '') AND (("ssn#n" IS NULL AND "ssn#b" IS NULL) AND (NOT (REGEXP_INSTR("ssn", '^[0-9]{3}-[0-9]{2}-[0-9]{4}$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f27",
    (NOT "#blank" AND CASE WHEN (("phone" IS NOT NULL AND "phone" <> '') AND NOT (("phone#n" IS NULL AND "phone#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f28",
    (NOT "#blank" AND CASE WHEN (("phone" IS NOT NULL AND "phone" <> '') AND (("phone#n" IS NULL AND "phone#b" IS NULL) AND (NOT (REGEXP_INSTR("phone", '^[0-9]{3}-[0-9]{3}-[0-9]{4}$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f29",
    (NOT "#blank" AND CASE WHEN (("email" IS NOT NULL AND "email" <> '') AND NOT (("email#n" IS NULL AND "email#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f30",
    (NOT "#blank" AND CASE WHEN (("email" IS NOT NULL AND "email" <> '') AND (("email#n" IS NULL AND "email#b" IS NULL) AND NOT (REGEXP_INSTR("email", '^[a-zA-Z0-9!#$%&''*+/=?^_`{|}~-]+(?:\\.[a-zA-Z0-9!#$%&''*+/=?^_`{|}~-]+)*@(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$') > 0))) THEN TRUE ELSE FALSE END) AS "#f31",
    (NOT "#blank" AND CASE WHEN (("email" IS NOT NULL AND "email" <> '') AND (("email#n" IS NULL AND "email#b" IS NULL) AND LENGTH("email") > 254)) THEN TRUE ELSE FALSE END) AS "#f32",
    (NOT "#blank" AND CASE WHEN (("address_line" IS NOT NULL AND "address_line" <> '') AND NOT (("address_line#n" IS NULL AND "address_line#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f33",
    (NOT "#blank" AND CASE WHEN (("address_line" IS NOT NULL AND "address_line" <> '') AND (("address_line#n" IS NULL AND "address_line#b" IS NULL) AND (NOT (REGEXP_INSTR("address_line", '^[^\\r\\n]+$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f34",
    (NOT "#blank" AND CASE WHEN (("address_line" IS NOT NULL AND "address_line" <> '') AND (("address_line#n" IS NULL AND "address_line#b" IS NULL) AND LENGTH("address_line") > 100)) THEN TRUE ELSE FALSE END) AS "#f35",
    (NOT "#blank" AND CASE WHEN (("city" IS NOT NULL AND "city" <> '') AND NOT (("city#n" IS NULL AND "city#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f36",
    (NOT "#blank" AND CASE WHEN (("city" IS NOT NULL AND "city" <> '') AND (("city#n" IS NULL AND "city#b" IS NULL) AND (NOT (REGEXP_INSTR("city", '^[^	
    -     　﻿]([^
  ]*[^	
    -     　﻿])?$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f37",
    (NOT "#blank" AND CASE WHEN (("city" IS NOT NULL AND "city" <> '') AND (("city#n" IS NULL AND "city#b" IS NULL) AND LENGTH("city") > 40)) THEN TRUE ELSE FALSE END) AS "#f38",
    (NOT "#blank" AND CASE WHEN (("state" IS NOT NULL AND "state" <> '') AND NOT (("state#n" IS NULL AND "state#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f39",
    (NOT "#blank" AND CASE WHEN (("state" IS NOT NULL AND "state" <> '') AND (("state#n" IS NULL AND "state#b" IS NULL) AND (NOT (REGEXP_INSTR("state", '^[A-Z]{2}$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f40",
    (NOT "#blank" AND CASE WHEN (("postal_code" IS NOT NULL AND "postal_code" <> '') AND NOT (("postal_code#n" IS NULL AND "postal_code#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f41",
    (NOT "#blank" AND CASE WHEN (("postal_code" IS NOT NULL AND "postal_code" <> '') AND (("postal_code#n" IS NULL AND "postal_code#b" IS NULL) AND (NOT (REGEXP_INSTR("postal_code", '^[0-9]{5}(-[0-9]{4})?$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f42",
    (NOT "#blank" AND CASE WHEN (("insurance_member_id" IS NOT NULL AND "insurance_member_id" <> '') AND NOT (("insurance_member_id#n" IS NULL AND "insurance_member_id#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f43",
    (NOT "#blank" AND CASE WHEN (("insurance_member_id" IS NOT NULL AND "insurance_member_id" <> '') AND (("insurance_member_id#n" IS NULL AND "insurance_member_id#b" IS NULL) AND (NOT (REGEXP_INSTR("insurance_member_id", '^[A-Z]{3}[0-9]{9}$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f44",
    (NOT "#blank" AND CASE WHEN (("primary_care_provider" IS NOT NULL AND "primary_care_provider" <> '') AND NOT (("primary_care_provider#n" IS NULL AND "primary_care_provider#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f45",
    (NOT "#blank" AND CASE WHEN (("primary_care_provider" IS NOT NULL AND "primary_care_provider" <> '') AND (("primary_care_provider#n" IS NULL AND "primary_care_provider#b" IS NULL) AND LENGTH("primary_care_provider") > 60)) THEN TRUE ELSE FALSE END) AS "#f46",
    (NOT "#blank" AND CASE WHEN NOT ("allergies" IS NOT NULL AND "allergies" <> '') THEN TRUE ELSE FALSE END) AS "#f47",
    (NOT "#blank" AND CASE WHEN (("allergies" IS NOT NULL AND "allergies" <> '') AND NOT (("allergies#n" IS NULL AND "allergies#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f48",
    (NOT "#blank" AND CASE WHEN (("allergies" IS NOT NULL AND "allergies" <> '') AND (("allergies#n" IS NULL AND "allergies#b" IS NULL) AND (NOT (REGEXP_INSTR("allergies", '^(NKDA|[a-z][a-z ]*(;[a-z][a-z ]*)*)$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f49",
    (NOT "#blank" AND CASE WHEN (("last_visit" IS NOT NULL AND "last_visit" <> '') AND NOT (("last_visit#n" IS NULL AND "last_visit#b" IS NULL))) THEN TRUE ELSE FALSE END) AS "#f50",
    (NOT "#blank" AND CASE WHEN (("last_visit" IS NOT NULL AND "last_visit" <> '') AND (("last_visit#n" IS NULL AND "last_visit#b" IS NULL) AND (NOT (REGEXP_INSTR("last_visit", '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') > 0)))) THEN TRUE ELSE FALSE END) AS "#f51",
    (NOT "#blank" AND CASE WHEN (("last_visit" IS NOT NULL AND "last_visit" <> '') AND (("last_visit#n" IS NULL AND "last_visit#b" IS NULL) AND NOT CASE WHEN (REGEXP_INSTR("last_visit", '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') > 0) THEN CAST(substr("last_visit", 6, 2) AS INTEGER) BETWEEN 1 AND 12 AND CAST(substr("last_visit", 9, 2) AS INTEGER) BETWEEN 1 AND (CASE WHEN CAST(substr("last_visit", 6, 2) AS INTEGER) = 2 THEN CASE WHEN (CAST(substr("last_visit", 1, 4) AS INTEGER) % 4 = 0 AND (CAST(substr("last_visit", 1, 4) AS INTEGER) % 100 <> 0 OR CAST(substr("last_visit", 1, 4) AS INTEGER) % 400 = 0)) THEN 29 ELSE 28 END WHEN CAST(substr("last_visit", 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30 ELSE 31 END) ELSE FALSE END)) THEN TRUE ELSE FALSE END) AS "#f52"
  FROM typed
),
failing AS (
  SELECT * FROM flags WHERE "#f0" OR "#f1" OR "#f2" OR "#f3" OR "#f4" OR "#f5" OR "#f6" OR "#f7" OR "#f8" OR "#f9" OR "#f10" OR "#f11" OR "#f12" OR "#f13" OR "#f14" OR "#f15" OR "#f16" OR "#f17" OR "#f18" OR "#f19" OR "#f20" OR "#f21" OR "#f22" OR "#f23" OR "#f24" OR "#f25" OR "#f26" OR "#f27" OR "#f28" OR "#f29" OR "#f30" OR "#f31" OR "#f32" OR "#f33" OR "#f34" OR "#f35" OR "#f36" OR "#f37" OR "#f38" OR "#f39" OR "#f40" OR "#f41" OR "#f42" OR "#f43" OR "#f44" OR "#f45" OR "#f46" OR "#f47" OR "#f48" OR "#f49" OR "#f50" OR "#f51" OR "#f52"
),
g0 AS (
  SELECT CASE WHEN ("patient_id" IS NULL OR "patient_id" = '') THEN NULL ELSE "patient_id" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("patient_id" IS NULL OR "patient_id" = '') THEN NULL ELSE "patient_id" END
),
g1 AS (
  SELECT CASE WHEN ("mrn" IS NULL OR "mrn" = '') THEN NULL ELSE "mrn" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("mrn" IS NULL OR "mrn" = '') THEN NULL ELSE "mrn" END
),
g2 AS (
  SELECT CASE WHEN ("last_name" IS NULL OR "last_name" = '') THEN NULL ELSE "last_name" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("last_name" IS NULL OR "last_name" = '') THEN NULL ELSE "last_name" END
),
g3 AS (
  SELECT CASE WHEN ("first_name" IS NULL OR "first_name" = '') THEN NULL ELSE "first_name" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("first_name" IS NULL OR "first_name" = '') THEN NULL ELSE "first_name" END
),
g4 AS (
  SELECT CASE WHEN ("middle_name" IS NULL OR "middle_name" = '') THEN NULL ELSE "middle_name" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("middle_name" IS NULL OR "middle_name" = '') THEN NULL ELSE "middle_name" END
),
g5 AS (
  SELECT CASE WHEN ("birth_date" IS NULL OR "birth_date" = '') THEN NULL ELSE "birth_date" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("birth_date" IS NULL OR "birth_date" = '') THEN NULL ELSE "birth_date" END
),
g6 AS (
  SELECT CASE WHEN ("sex" IS NULL OR "sex" = '') THEN NULL ELSE "sex" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("sex" IS NULL OR "sex" = '') THEN NULL ELSE "sex" END
),
g7 AS (
  SELECT CASE WHEN ("ssn" IS NULL OR "ssn" = '') THEN NULL ELSE "ssn" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("ssn" IS NULL OR "ssn" = '') THEN NULL ELSE "ssn" END
),
g8 AS (
  SELECT CASE WHEN ("phone" IS NULL OR "phone" = '') THEN NULL ELSE "phone" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("phone" IS NULL OR "phone" = '') THEN NULL ELSE "phone" END
),
g9 AS (
  SELECT CASE WHEN ("email" IS NULL OR "email" = '') THEN NULL ELSE "email" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("email" IS NULL OR "email" = '') THEN NULL ELSE "email" END
),
g10 AS (
  SELECT CASE WHEN ("address_line" IS NULL OR "address_line" = '') THEN NULL ELSE "address_line" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("address_line" IS NULL OR "address_line" = '') THEN NULL ELSE "address_line" END
),
g11 AS (
  SELECT CASE WHEN ("city" IS NULL OR "city" = '') THEN NULL ELSE "city" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("city" IS NULL OR "city" = '') THEN NULL ELSE "city" END
),
g12 AS (
  SELECT CASE WHEN ("state" IS NULL OR "state" = '') THEN NULL ELSE "state" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("state" IS NULL OR "state" = '') THEN NULL ELSE "state" END
),
g13 AS (
  SELECT CASE WHEN ("postal_code" IS NULL OR "postal_code" = '') THEN NULL ELSE "postal_code" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("postal_code" IS NULL OR "postal_code" = '') THEN NULL ELSE "postal_code" END
),
g14 AS (
  SELECT CASE WHEN ("insurance_member_id" IS NULL OR "insurance_member_id" = '') THEN NULL ELSE "insurance_member_id" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("insurance_member_id" IS NULL OR "insurance_member_id" = '') THEN NULL ELSE "insurance_member_id" END
),
g15 AS (
  SELECT CASE WHEN ("primary_care_provider" IS NULL OR "primary_care_provider" = '') THEN NULL ELSE "primary_care_provider" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("primary_care_provider" IS NULL OR "primary_care_provider" = '') THEN NULL ELSE "primary_care_provider" END
),
g16 AS (
  SELECT CASE WHEN ("allergies" IS NULL OR "allergies" = '') THEN NULL ELSE "allergies" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("allergies" IS NULL OR "allergies" = '') THEN NULL ELSE "allergies" END
),
g17 AS (
  SELECT CASE WHEN ("last_visit" IS NULL OR "last_visit" = '') THEN NULL ELSE "last_visit" END AS v, COUNT(*) AS n, MIN("preflight_row") AS r
  FROM "patients" GROUP BY CASE WHEN ("last_visit" IS NULL OR "last_visit" = '') THEN NULL ELSE "last_visit" END
)
SELECT 0 AS "kind", CAST(NULL AS BIGINT) AS "id", CAST(COUNT(*) AS BIGINT) AS "n", CAST(COUNT(CASE WHEN "#blank" THEN 1 END) AS BIGINT) AS "r", CAST(concat_ws(',', CAST(COUNT(CASE WHEN "#f0" OR "#f1" OR "#f2" OR "#f3" OR "#f4" OR "#f5" OR "#f6" OR "#f7" OR "#f8" OR "#f9" OR "#f10" OR "#f11" OR "#f12" OR "#f13" OR "#f14" OR "#f15" OR "#f16" OR "#f17" OR "#f18" OR "#f19" OR "#f20" OR "#f21" OR "#f22" OR "#f23" OR "#f24" OR "#f25" OR "#f26" OR "#f27" OR "#f28" OR "#f29" OR "#f30" OR "#f31" OR "#f32" OR "#f33" OR "#f34" OR "#f35" OR "#f36" OR "#f37" OR "#f38" OR "#f39" OR "#f40" OR "#f41" OR "#f42" OR "#f43" OR "#f44" OR "#f45" OR "#f46" OR "#f47" OR "#f48" OR "#f49" OR "#f50" OR "#f51" OR "#f52" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f0" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f1" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f2" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f3" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f4" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f5" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f6" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f7" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f8" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f9" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f10" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f11" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f12" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f13" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f14" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f15" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f16" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f17" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f18" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f19" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f20" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f21" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f22" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f23" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f24" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f25" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f26" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f27" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f28" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f29" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f30" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f31" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f32" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f33" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f34" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f35" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f36" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f37" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f38" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f39" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f40" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f41" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f42" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f43" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f44" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f45" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f46" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f47" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f48" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f49" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f50" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f51" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f52" THEN 1 END) AS VARCHAR)) AS VARCHAR) AS "v"
FROM flags
UNION ALL
SELECT 1 AS "kind", CAST(0 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "patient_id" AS v, "#f0" FROM failing) AS c0 WHERE "#f0") AS x0 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(1 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "patient_id" AS v, "#f1" FROM failing) AS c1 WHERE "#f1") AS x1 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(2 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "patient_id" AS v, "#f2" FROM failing) AS c2 WHERE "#f2") AS x2 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(3 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "mrn" AS v, "#f3" FROM failing) AS c3 WHERE "#f3") AS x3 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(4 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "mrn" AS v, "#f4" FROM failing) AS c4 WHERE "#f4") AS x4 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(5 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "mrn" AS v, "#f5" FROM failing) AS c5 WHERE "#f5") AS x5 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(6 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f6" FROM failing) AS c6 WHERE "#f6") AS x6 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(7 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f7" FROM failing) AS c7 WHERE "#f7") AS x7 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(8 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f8" FROM failing) AS c8 WHERE "#f8") AS x8 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(9 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f9" FROM failing) AS c9 WHERE "#f9") AS x9 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(10 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f10" FROM failing) AS c10 WHERE "#f10") AS x10 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(11 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f11" FROM failing) AS c11 WHERE "#f11") AS x11 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(12 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f12" FROM failing) AS c12 WHERE "#f12") AS x12 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(13 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f13" FROM failing) AS c13 WHERE "#f13") AS x13 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(14 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f14" FROM failing) AS c14 WHERE "#f14") AS x14 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(15 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f15" FROM failing) AS c15 WHERE "#f15") AS x15 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(16 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "middle_name" AS v, "#f16" FROM failing) AS c16 WHERE "#f16") AS x16 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(17 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "middle_name" AS v, "#f17" FROM failing) AS c17 WHERE "#f17") AS x17 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(18 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "middle_name" AS v, "#f18" FROM failing) AS c18 WHERE "#f18") AS x18 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(19 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "birth_date" AS v, "#f19" FROM failing) AS c19 WHERE "#f19") AS x19 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(20 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "birth_date" AS v, "#f20" FROM failing) AS c20 WHERE "#f20") AS x20 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(21 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "birth_date" AS v, "#f21" FROM failing) AS c21 WHERE "#f21") AS x21 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(22 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "birth_date" AS v, "#f22" FROM failing) AS c22 WHERE "#f22") AS x22 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(23 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "sex" AS v, "#f23" FROM failing) AS c23 WHERE "#f23") AS x23 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(24 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "sex" AS v, "#f24" FROM failing) AS c24 WHERE "#f24") AS x24 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(25 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "sex" AS v, "#f25" FROM failing) AS c25 WHERE "#f25") AS x25 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(26 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "ssn" AS v, "#f26" FROM failing) AS c26 WHERE "#f26") AS x26 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(27 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "ssn" AS v, "#f27" FROM failing) AS c27 WHERE "#f27") AS x27 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(28 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "phone" AS v, "#f28" FROM failing) AS c28 WHERE "#f28") AS x28 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(29 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "phone" AS v, "#f29" FROM failing) AS c29 WHERE "#f29") AS x29 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(30 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "email" AS v, "#f30" FROM failing) AS c30 WHERE "#f30") AS x30 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(31 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "email" AS v, "#f31" FROM failing) AS c31 WHERE "#f31") AS x31 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(32 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "email" AS v, "#f32" FROM failing) AS c32 WHERE "#f32") AS x32 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(33 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "address_line" AS v, "#f33" FROM failing) AS c33 WHERE "#f33") AS x33 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(34 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "address_line" AS v, "#f34" FROM failing) AS c34 WHERE "#f34") AS x34 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(35 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "address_line" AS v, "#f35" FROM failing) AS c35 WHERE "#f35") AS x35 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(36 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "city" AS v, "#f36" FROM failing) AS c36 WHERE "#f36") AS x36 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(37 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "city" AS v, "#f37" FROM failing) AS c37 WHERE "#f37") AS x37 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(38 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "city" AS v, "#f38" FROM failing) AS c38 WHERE "#f38") AS x38 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(39 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "state" AS v, "#f39" FROM failing) AS c39 WHERE "#f39") AS x39 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(40 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "state" AS v, "#f40" FROM failing) AS c40 WHERE "#f40") AS x40 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(41 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "postal_code" AS v, "#f41" FROM failing) AS c41 WHERE "#f41") AS x41 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(42 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "postal_code" AS v, "#f42" FROM failing) AS c42 WHERE "#f42") AS x42 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(43 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "insurance_member_id" AS v, "#f43" FROM failing) AS c43 WHERE "#f43") AS x43 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(44 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "insurance_member_id" AS v, "#f44" FROM failing) AS c44 WHERE "#f44") AS x44 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(45 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "primary_care_provider" AS v, "#f45" FROM failing) AS c45 WHERE "#f45") AS x45 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(46 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "primary_care_provider" AS v, "#f46" FROM failing) AS c46 WHERE "#f46") AS x46 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(47 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "allergies" AS v, "#f47" FROM failing) AS c47 WHERE "#f47") AS x47 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(48 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "allergies" AS v, "#f48" FROM failing) AS c48 WHERE "#f48") AS x48 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(49 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "allergies" AS v, "#f49" FROM failing) AS c49 WHERE "#f49") AS x49 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(50 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_visit" AS v, "#f50" FROM failing) AS c50 WHERE "#f50") AS x50 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(51 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_visit" AS v, "#f51" FROM failing) AS c51 WHERE "#f51") AS x51 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(52 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_visit" AS v, "#f52" FROM failing) AS c52 WHERE "#f52") AS x52 WHERE p <= 20
UNION ALL
SELECT 2 AS "kind", CAST(NULL AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", NULL AS v, "#blank" FROM typed) AS b WHERE "#blank") AS bx WHERE p <= 20
UNION ALL
SELECT 3 AS "kind", CAST(0 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g0
UNION ALL
SELECT 3 AS "kind", CAST(1 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g1
UNION ALL
SELECT 3 AS "kind", CAST(2 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g2
UNION ALL
SELECT 3 AS "kind", CAST(3 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g3
UNION ALL
SELECT 3 AS "kind", CAST(4 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g4
UNION ALL
SELECT 3 AS "kind", CAST(5 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g5
UNION ALL
SELECT 3 AS "kind", CAST(6 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g6
UNION ALL
SELECT 3 AS "kind", CAST(7 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g7
UNION ALL
SELECT 3 AS "kind", CAST(8 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g8
UNION ALL
SELECT 3 AS "kind", CAST(9 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g9
UNION ALL
SELECT 3 AS "kind", CAST(10 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g10
UNION ALL
SELECT 3 AS "kind", CAST(11 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g11
UNION ALL
SELECT 3 AS "kind", CAST(12 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g12
UNION ALL
SELECT 3 AS "kind", CAST(13 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g13
UNION ALL
SELECT 3 AS "kind", CAST(14 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g14
UNION ALL
SELECT 3 AS "kind", CAST(15 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g15
UNION ALL
SELECT 3 AS "kind", CAST(16 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g16
UNION ALL
SELECT 3 AS "kind", CAST(17 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v"
FROM g17
UNION ALL
SELECT 4 AS "kind", CAST(0 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g0 WHERE v IS NOT NULL) AS q0
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(1 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g1 WHERE v IS NOT NULL) AS q1
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(2 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g2 WHERE v IS NOT NULL) AS q2
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(3 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g3 WHERE v IS NOT NULL) AS q3
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(4 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g4 WHERE v IS NOT NULL) AS q4
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(5 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g5 WHERE v IS NOT NULL) AS q5
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(6 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g6 WHERE v IS NOT NULL) AS q6
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(7 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g7 WHERE v IS NOT NULL) AS q7
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(8 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g8 WHERE v IS NOT NULL) AS q8
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(9 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g9 WHERE v IS NOT NULL) AS q9
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(10 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g10 WHERE v IS NOT NULL) AS q10
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(11 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g11 WHERE v IS NOT NULL) AS q11
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(12 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g12 WHERE v IS NOT NULL) AS q12
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(13 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g13 WHERE v IS NOT NULL) AS q13
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(14 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g14 WHERE v IS NOT NULL) AS q14
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(15 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g15 WHERE v IS NOT NULL) AS q15
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(16 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g16 WHERE v IS NOT NULL) AS q16
WHERE p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(17 AS BIGINT) AS "id", CAST(n AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v"
FROM (SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g17 WHERE v IS NOT NULL) AS q17
WHERE p <= 1001;
