-- Preflight column contract urn:preflight:sample:patients-contract as one snowflake aggregate query.
-- Input: a table or view named patients with every column as text (empty cells NULL or '')
-- and preflight_row, the record's 1-based data row. See docs/scale.md.
-- Rows: kind, id, n, r, v, t (src/core/sql/warehouse.ts says what each kind holds).
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
  SELECT *, ("patient_id" IS NULL OR "patient_id" = '') AND ("mrn" IS NULL OR "mrn" = '') AND ("last_name" IS NULL OR "last_name" = '') AND ("first_name" IS NULL OR "first_name" = '') AND ("middle_name" IS NULL OR "middle_name" = '') AND ("birth_date" IS NULL OR "birth_date" = '') AND ("sex" IS NULL OR "sex" = '') AND ("ssn" IS NULL OR "ssn" = '') AND ("phone" IS NULL OR "phone" = '') AND ("email" IS NULL OR "email" = '') AND ("address_line" IS NULL OR "address_line" = '') AND ("city" IS NULL OR "city" = '') AND ("state" IS NULL OR "state" = '') AND ("postal_code" IS NULL OR "postal_code" = '') AND ("insurance_member_id" IS NULL OR "insurance_member_id" = '') AND ("primary_care_provider" IS NULL OR "primary_care_provider" = '') AND ("allergies" IS NULL OR "allergies" = '') AND ("last_visit" IS NULL OR "last_visit" = '') AS "#blank",
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
    CASE WHEN NOT ("patient_id" IS NOT NULL AND "patient_id" <> '') THEN TRUE ELSE FALSE END AS "#f0",
    CASE WHEN (("patient_id" IS NOT NULL AND "patient_id" <> '') AND NOT (("patient_id#n" IS NULL AND "patient_id#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f1",
    CASE WHEN (("patient_id" IS NOT NULL AND "patient_id" <> '') AND (("patient_id#n" IS NULL AND "patient_id#b" IS NULL) AND (NOT (REGEXP_INSTR("patient_id", '^P[0-9]{6}$') > 0)))) THEN TRUE ELSE FALSE END AS "#f2",
    CASE WHEN NOT ("mrn" IS NOT NULL AND "mrn" <> '') THEN TRUE ELSE FALSE END AS "#f3",
    CASE WHEN (("mrn" IS NOT NULL AND "mrn" <> '') AND NOT (("mrn#n" IS NULL AND "mrn#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f4",
    CASE WHEN (("mrn" IS NOT NULL AND "mrn" <> '') AND (("mrn#n" IS NULL AND "mrn#b" IS NULL) AND (NOT (REGEXP_INSTR("mrn", '^[0-9]{8}$') > 0)))) THEN TRUE ELSE FALSE END AS "#f5",
    CASE WHEN NOT ("last_name" IS NOT NULL AND "last_name" <> '') THEN TRUE ELSE FALSE END AS "#f6",
    CASE WHEN (("last_name" IS NOT NULL AND "last_name" <> '') AND NOT (("last_name#n" IS NULL AND "last_name#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f7",
    CASE WHEN (("last_name" IS NOT NULL AND "last_name" <> '') AND (("last_name#n" IS NULL AND "last_name#b" IS NULL) AND (NOT (REGEXP_INSTR("last_name", '^[^	
    -     　﻿]([^
  ]*[^	
    -     　﻿])?$') > 0) OR (REGEXP_INSTR("last_name", '^([=+\\-@])') > 0)))) THEN TRUE ELSE FALSE END AS "#f8",
    CASE WHEN (("last_name" IS NOT NULL AND "last_name" <> '') AND (("last_name#n" IS NULL AND "last_name#b" IS NULL) AND LENGTH("last_name") < 1)) THEN TRUE ELSE FALSE END AS "#f9",
    CASE WHEN (("last_name" IS NOT NULL AND "last_name" <> '') AND (("last_name#n" IS NULL AND "last_name#b" IS NULL) AND LENGTH("last_name") > 60)) THEN TRUE ELSE FALSE END AS "#f10",
    CASE WHEN NOT ("first_name" IS NOT NULL AND "first_name" <> '') THEN TRUE ELSE FALSE END AS "#f11",
    CASE WHEN (("first_name" IS NOT NULL AND "first_name" <> '') AND NOT (("first_name#n" IS NULL AND "first_name#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f12",
    CASE WHEN (("first_name" IS NOT NULL AND "first_name" <> '') AND (("first_name#n" IS NULL AND "first_name#b" IS NULL) AND (NOT (REGEXP_INSTR("first_name", '^[^	
    -     　﻿]([^
  ]*[^	
    -     　﻿])?$') > 0) OR (REGEXP_INSTR("first_name", '^([=+\\-@])') > 0)))) THEN TRUE ELSE FALSE END AS "#f13",
    CASE WHEN (("first_name" IS NOT NULL AND "first_name" <> '') AND (("first_name#n" IS NULL AND "first_name#b" IS NULL) AND LENGTH("first_name") < 1)) THEN TRUE ELSE FALSE END AS "#f14",
    CASE WHEN (("first_name" IS NOT NULL AND "first_name" <> '') AND (("first_name#n" IS NULL AND "first_name#b" IS NULL) AND LENGTH("first_name") > 60)) THEN TRUE ELSE FALSE END AS "#f15",
    CASE WHEN (("middle_name" IS NOT NULL AND "middle_name" <> '') AND NOT (("middle_name#n" IS NULL AND "middle_name#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f16",
    CASE WHEN (("middle_name" IS NOT NULL AND "middle_name" <> '') AND (("middle_name#n" IS NULL AND "middle_name#b" IS NULL) AND (NOT (REGEXP_INSTR("middle_name", '^[^	
    -     　﻿]([^
  ]*[^	
    -     　﻿])?$') > 0) OR (REGEXP_INSTR("middle_name", '^([=+\\-@])') > 0)))) THEN TRUE ELSE FALSE END AS "#f17",
    CASE WHEN (("middle_name" IS NOT NULL AND "middle_name" <> '') AND (("middle_name#n" IS NULL AND "middle_name#b" IS NULL) AND LENGTH("middle_name") > 60)) THEN TRUE ELSE FALSE END AS "#f18",
    CASE WHEN NOT ("birth_date" IS NOT NULL AND "birth_date" <> '') THEN TRUE ELSE FALSE END AS "#f19",
    CASE WHEN (("birth_date" IS NOT NULL AND "birth_date" <> '') AND NOT (("birth_date#n" IS NULL AND "birth_date#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f20",
    CASE WHEN (("birth_date" IS NOT NULL AND "birth_date" <> '') AND (("birth_date#n" IS NULL AND "birth_date#b" IS NULL) AND (NOT (REGEXP_INSTR("birth_date", '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') > 0)))) THEN TRUE ELSE FALSE END AS "#f21",
    CASE WHEN (("birth_date" IS NOT NULL AND "birth_date" <> '') AND (("birth_date#n" IS NULL AND "birth_date#b" IS NULL) AND NOT CASE WHEN (REGEXP_INSTR("birth_date", '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') > 0) THEN CAST(substr("birth_date", 6, 2) AS INTEGER) BETWEEN 1 AND 12 AND CAST(substr("birth_date", 9, 2) AS INTEGER) BETWEEN 1 AND (CASE WHEN CAST(substr("birth_date", 6, 2) AS INTEGER) = 2 THEN CASE WHEN (CAST(substr("birth_date", 1, 4) AS INTEGER) % 4 = 0 AND (CAST(substr("birth_date", 1, 4) AS INTEGER) % 100 <> 0 OR CAST(substr("birth_date", 1, 4) AS INTEGER) % 400 = 0)) THEN 29 ELSE 28 END WHEN CAST(substr("birth_date", 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30 ELSE 31 END) ELSE FALSE END)) THEN TRUE ELSE FALSE END AS "#f22",
    CASE WHEN NOT ("sex" IS NOT NULL AND "sex" <> '') THEN TRUE ELSE FALSE END AS "#f23",
    CASE WHEN (("sex" IS NOT NULL AND "sex" <> '') AND NOT (("sex#n" IS NULL AND "sex#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f24",
    CASE WHEN (("sex" IS NOT NULL AND "sex" <> '') AND NOT CASE WHEN (("sex#n" IS NULL AND "sex#b" IS NULL) AND "sex" IN ('M', 'F', 'U')) THEN TRUE ELSE FALSE END) THEN TRUE ELSE FALSE END AS "#f25",
    CASE WHEN (("ssn" IS NOT NULL AND "ssn" <> '') AND NOT (("ssn#n" IS NULL AND "ssn#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f26",
    CASE WHEN (("ssn" IS NOT NULL AND "ssn" <> '') AND (("ssn#n" IS NULL AND "ssn#b" IS NULL) AND (NOT (REGEXP_INSTR("ssn", '^[0-9]{3}-[0-9]{2}-[0-9]{4}$') > 0)))) THEN TRUE ELSE FALSE END AS "#f27",
    CASE WHEN (("phone" IS NOT NULL AND "phone" <> '') AND NOT (("phone#n" IS NULL AND "phone#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f28",
    CASE WHEN (("phone" IS NOT NULL AND "phone" <> '') AND (("phone#n" IS NULL AND "phone#b" IS NULL) AND (NOT (REGEXP_INSTR("phone", '^[0-9]{3}-[0-9]{3}-[0-9]{4}$') > 0)))) THEN TRUE ELSE FALSE END AS "#f29",
    CASE WHEN (("email" IS NOT NULL AND "email" <> '') AND NOT (("email#n" IS NULL AND "email#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f30",
    CASE WHEN (("email" IS NOT NULL AND "email" <> '') AND (("email#n" IS NULL AND "email#b" IS NULL) AND NOT (REGEXP_INSTR("email", '^[a-zA-Z0-9!#$%&''*+/=?^_`{|}~-]+(?:\\.[a-zA-Z0-9!#$%&''*+/=?^_`{|}~-]+)*@(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$') > 0))) THEN TRUE ELSE FALSE END AS "#f31",
    CASE WHEN (("email" IS NOT NULL AND "email" <> '') AND (("email#n" IS NULL AND "email#b" IS NULL) AND LENGTH("email") > 254)) THEN TRUE ELSE FALSE END AS "#f32",
    CASE WHEN (("address_line" IS NOT NULL AND "address_line" <> '') AND NOT (("address_line#n" IS NULL AND "address_line#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f33",
    CASE WHEN (("address_line" IS NOT NULL AND "address_line" <> '') AND (("address_line#n" IS NULL AND "address_line#b" IS NULL) AND (NOT (REGEXP_INSTR("address_line", '^[^\\r\\n]+$') > 0)))) THEN TRUE ELSE FALSE END AS "#f34",
    CASE WHEN (("address_line" IS NOT NULL AND "address_line" <> '') AND (("address_line#n" IS NULL AND "address_line#b" IS NULL) AND LENGTH("address_line") > 100)) THEN TRUE ELSE FALSE END AS "#f35",
    CASE WHEN (("city" IS NOT NULL AND "city" <> '') AND NOT (("city#n" IS NULL AND "city#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f36",
    CASE WHEN (("city" IS NOT NULL AND "city" <> '') AND (("city#n" IS NULL AND "city#b" IS NULL) AND (NOT (REGEXP_INSTR("city", '^[^	
    -     　﻿]([^
  ]*[^	
    -     　﻿])?$') > 0)))) THEN TRUE ELSE FALSE END AS "#f37",
    CASE WHEN (("city" IS NOT NULL AND "city" <> '') AND (("city#n" IS NULL AND "city#b" IS NULL) AND LENGTH("city") > 40)) THEN TRUE ELSE FALSE END AS "#f38",
    CASE WHEN (("state" IS NOT NULL AND "state" <> '') AND NOT (("state#n" IS NULL AND "state#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f39",
    CASE WHEN (("state" IS NOT NULL AND "state" <> '') AND (("state#n" IS NULL AND "state#b" IS NULL) AND (NOT (REGEXP_INSTR("state", '^[A-Z]{2}$') > 0)))) THEN TRUE ELSE FALSE END AS "#f40",
    CASE WHEN (("postal_code" IS NOT NULL AND "postal_code" <> '') AND NOT (("postal_code#n" IS NULL AND "postal_code#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f41",
    CASE WHEN (("postal_code" IS NOT NULL AND "postal_code" <> '') AND (("postal_code#n" IS NULL AND "postal_code#b" IS NULL) AND (NOT (REGEXP_INSTR("postal_code", '^[0-9]{5}(-[0-9]{4})?$') > 0)))) THEN TRUE ELSE FALSE END AS "#f42",
    CASE WHEN (("insurance_member_id" IS NOT NULL AND "insurance_member_id" <> '') AND NOT (("insurance_member_id#n" IS NULL AND "insurance_member_id#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f43",
    CASE WHEN (("insurance_member_id" IS NOT NULL AND "insurance_member_id" <> '') AND (("insurance_member_id#n" IS NULL AND "insurance_member_id#b" IS NULL) AND (NOT (REGEXP_INSTR("insurance_member_id", '^[A-Z]{3}[0-9]{9}$') > 0)))) THEN TRUE ELSE FALSE END AS "#f44",
    CASE WHEN (("primary_care_provider" IS NOT NULL AND "primary_care_provider" <> '') AND NOT (("primary_care_provider#n" IS NULL AND "primary_care_provider#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f45",
    CASE WHEN (("primary_care_provider" IS NOT NULL AND "primary_care_provider" <> '') AND (("primary_care_provider#n" IS NULL AND "primary_care_provider#b" IS NULL) AND LENGTH("primary_care_provider") > 60)) THEN TRUE ELSE FALSE END AS "#f46",
    CASE WHEN NOT ("allergies" IS NOT NULL AND "allergies" <> '') THEN TRUE ELSE FALSE END AS "#f47",
    CASE WHEN (("allergies" IS NOT NULL AND "allergies" <> '') AND NOT (("allergies#n" IS NULL AND "allergies#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f48",
    CASE WHEN (("allergies" IS NOT NULL AND "allergies" <> '') AND (("allergies#n" IS NULL AND "allergies#b" IS NULL) AND (NOT (REGEXP_INSTR("allergies", '^(NKDA|[a-z][a-z ]*(;[a-z][a-z ]*)*)$') > 0)))) THEN TRUE ELSE FALSE END AS "#f49",
    CASE WHEN (("last_visit" IS NOT NULL AND "last_visit" <> '') AND NOT (("last_visit#n" IS NULL AND "last_visit#b" IS NULL))) THEN TRUE ELSE FALSE END AS "#f50",
    CASE WHEN (("last_visit" IS NOT NULL AND "last_visit" <> '') AND (("last_visit#n" IS NULL AND "last_visit#b" IS NULL) AND (NOT (REGEXP_INSTR("last_visit", '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') > 0)))) THEN TRUE ELSE FALSE END AS "#f51",
    CASE WHEN (("last_visit" IS NOT NULL AND "last_visit" <> '') AND (("last_visit#n" IS NULL AND "last_visit#b" IS NULL) AND NOT CASE WHEN (REGEXP_INSTR("last_visit", '^[0-9]{4}-[0-9]{2}-[0-9]{2}$') > 0) THEN CAST(substr("last_visit", 6, 2) AS INTEGER) BETWEEN 1 AND 12 AND CAST(substr("last_visit", 9, 2) AS INTEGER) BETWEEN 1 AND (CASE WHEN CAST(substr("last_visit", 6, 2) AS INTEGER) = 2 THEN CASE WHEN (CAST(substr("last_visit", 1, 4) AS INTEGER) % 4 = 0 AND (CAST(substr("last_visit", 1, 4) AS INTEGER) % 100 <> 0 OR CAST(substr("last_visit", 1, 4) AS INTEGER) % 400 = 0)) THEN 29 ELSE 28 END WHEN CAST(substr("last_visit", 6, 2) AS INTEGER) IN (4, 6, 9, 11) THEN 30 ELSE 31 END) ELSE FALSE END)) THEN TRUE ELSE FALSE END AS "#f52"
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
),
q0 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g0 WHERE v IS NOT NULL
),
o0 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q0
),
t0 AS (
  SELECT "patient_id" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o0
  WHERE "preflight_row" < o0.at AND NOT ("patient_id" IS NULL OR "patient_id" = '') GROUP BY "patient_id"
),
s0 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q0) AS h0) AS c0) AS w0
),
q1 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g1 WHERE v IS NOT NULL
),
o1 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q1
),
t1 AS (
  SELECT "mrn" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o1
  WHERE "preflight_row" < o1.at AND NOT ("mrn" IS NULL OR "mrn" = '') GROUP BY "mrn"
),
s1 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q1) AS h1) AS c1) AS w1
),
q2 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g2 WHERE v IS NOT NULL
),
o2 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q2
),
t2 AS (
  SELECT "last_name" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o2
  WHERE "preflight_row" < o2.at AND NOT ("last_name" IS NULL OR "last_name" = '') GROUP BY "last_name"
),
s2 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q2) AS h2) AS c2) AS w2
),
q3 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g3 WHERE v IS NOT NULL
),
o3 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q3
),
t3 AS (
  SELECT "first_name" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o3
  WHERE "preflight_row" < o3.at AND NOT ("first_name" IS NULL OR "first_name" = '') GROUP BY "first_name"
),
s3 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q3) AS h3) AS c3) AS w3
),
q4 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g4 WHERE v IS NOT NULL
),
o4 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q4
),
t4 AS (
  SELECT "middle_name" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o4
  WHERE "preflight_row" < o4.at AND NOT ("middle_name" IS NULL OR "middle_name" = '') GROUP BY "middle_name"
),
s4 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q4) AS h4) AS c4) AS w4
),
q5 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g5 WHERE v IS NOT NULL
),
o5 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q5
),
t5 AS (
  SELECT "birth_date" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o5
  WHERE "preflight_row" < o5.at AND NOT ("birth_date" IS NULL OR "birth_date" = '') GROUP BY "birth_date"
),
s5 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q5) AS h5) AS c5) AS w5
),
q6 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g6 WHERE v IS NOT NULL
),
o6 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q6
),
t6 AS (
  SELECT "sex" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o6
  WHERE "preflight_row" < o6.at AND NOT ("sex" IS NULL OR "sex" = '') GROUP BY "sex"
),
s6 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q6) AS h6) AS c6) AS w6
),
q7 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g7 WHERE v IS NOT NULL
),
o7 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q7
),
t7 AS (
  SELECT "ssn" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o7
  WHERE "preflight_row" < o7.at AND NOT ("ssn" IS NULL OR "ssn" = '') GROUP BY "ssn"
),
s7 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q7) AS h7) AS c7) AS w7
),
q8 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g8 WHERE v IS NOT NULL
),
o8 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q8
),
t8 AS (
  SELECT "phone" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o8
  WHERE "preflight_row" < o8.at AND NOT ("phone" IS NULL OR "phone" = '') GROUP BY "phone"
),
s8 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q8) AS h8) AS c8) AS w8
),
q9 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g9 WHERE v IS NOT NULL
),
o9 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q9
),
t9 AS (
  SELECT "email" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o9
  WHERE "preflight_row" < o9.at AND NOT ("email" IS NULL OR "email" = '') GROUP BY "email"
),
s9 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q9) AS h9) AS c9) AS w9
),
q10 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g10 WHERE v IS NOT NULL
),
o10 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q10
),
t10 AS (
  SELECT "address_line" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o10
  WHERE "preflight_row" < o10.at AND NOT ("address_line" IS NULL OR "address_line" = '') GROUP BY "address_line"
),
s10 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q10) AS h10) AS c10) AS w10
),
q11 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g11 WHERE v IS NOT NULL
),
o11 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q11
),
t11 AS (
  SELECT "city" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o11
  WHERE "preflight_row" < o11.at AND NOT ("city" IS NULL OR "city" = '') GROUP BY "city"
),
s11 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q11) AS h11) AS c11) AS w11
),
q12 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g12 WHERE v IS NOT NULL
),
o12 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q12
),
t12 AS (
  SELECT "state" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o12
  WHERE "preflight_row" < o12.at AND NOT ("state" IS NULL OR "state" = '') GROUP BY "state"
),
s12 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q12) AS h12) AS c12) AS w12
),
q13 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g13 WHERE v IS NOT NULL
),
o13 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q13
),
t13 AS (
  SELECT "postal_code" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o13
  WHERE "preflight_row" < o13.at AND NOT ("postal_code" IS NULL OR "postal_code" = '') GROUP BY "postal_code"
),
s13 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q13) AS h13) AS c13) AS w13
),
q14 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g14 WHERE v IS NOT NULL
),
o14 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q14
),
t14 AS (
  SELECT "insurance_member_id" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o14
  WHERE "preflight_row" < o14.at AND NOT ("insurance_member_id" IS NULL OR "insurance_member_id" = '') GROUP BY "insurance_member_id"
),
s14 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q14) AS h14) AS c14) AS w14
),
q15 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g15 WHERE v IS NOT NULL
),
o15 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q15
),
t15 AS (
  SELECT "primary_care_provider" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o15
  WHERE "preflight_row" < o15.at AND NOT ("primary_care_provider" IS NULL OR "primary_care_provider" = '') GROUP BY "primary_care_provider"
),
s15 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q15) AS h15) AS c15) AS w15
),
q16 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g16 WHERE v IS NOT NULL
),
o16 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q16
),
t16 AS (
  SELECT "allergies" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o16
  WHERE "preflight_row" < o16.at AND NOT ("allergies" IS NULL OR "allergies" = '') GROUP BY "allergies"
),
s16 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q16) AS h16) AS c16) AS w16
),
q17 AS (
  SELECT v, n, r, ROW_NUMBER() OVER (ORDER BY r) AS p FROM g17 WHERE v IS NOT NULL
),
o17 AS (
  SELECT MIN(CASE WHEN p = 1001 THEN r END) AS at FROM q17
),
t17 AS (
  SELECT "last_visit" AS v, COUNT(*) AS t FROM "patients" CROSS JOIN o17
  WHERE "preflight_row" < o17.at AND NOT ("last_visit" IS NULL OR "last_visit" = '') GROUP BY "last_visit"
),
s17 AS (
  SELECT v, n, r, k, x, dt, ROW_NUMBER() OVER (ORDER BY x NULLS LAST, r) AS x0, ROW_NUMBER() OVER (ORDER BY x DESC NULLS LAST, r) AS x1,
    ROW_NUMBER() OVER (ORDER BY v) AS v0, ROW_NUMBER() OVER (ORDER BY v DESC) AS v1, ROW_NUMBER() OVER (ORDER BY dt NULLS LAST, r) AS d0, ROW_NUMBER() OVER (ORDER BY dt DESC NULLS LAST, r) AS d1
  FROM (SELECT v, n, r, k, CASE WHEN k IN (0, 1) THEN CASE WHEN abs(TRY_TO_DOUBLE(v)) <= 1.7976931348623157e308 THEN TRY_TO_DOUBLE(v) END END AS x, CASE k WHEN 3 THEN TRY_CAST(substr(v, 1, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 6, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 9, 2) AS INTEGER)
  WHEN 7 THEN TRY_CAST(v AS INTEGER)
  WHEN 4 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 1, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 4, 2) AS INTEGER)
  WHEN 5 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 6 THEN TRY_CAST(substr(v, 7, 4) AS INTEGER) * 10000 + TRY_CAST(substr(v, 4, 2) AS INTEGER) * 100 + TRY_CAST(substr(v, 1, 2) AS INTEGER)
  WHEN 8 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 2) AS INTEGER)
  WHEN 9 THEN TRY_CAST(split_part(v, '/', 3) AS INTEGER) * 10000 + TRY_CAST(split_part(v, '/', 2) AS INTEGER) * 100 + TRY_CAST(split_part(v, '/', 1) AS INTEGER) END AS dt
    FROM (SELECT v, n, r, CASE
  WHEN s = '9999-99-99' THEN 3
  WHEN s = '99/99/9999' THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12 THEN 5 ELSE 4 END
  WHEN s = '99.99.9999' THEN 6
  WHEN s IN ('9/9/9999', '99/9/9999', '9/99/9999') AND TRY_CAST(split_part(v, '/', 1) AS INTEGER) BETWEEN 1 AND 31
    AND TRY_CAST(split_part(v, '/', 2) AS INTEGER) BETWEEN 1 AND 31 AND (TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 OR TRY_CAST(split_part(v, '/', 2) AS INTEGER) <= 12)
    THEN CASE WHEN TRY_CAST(split_part(v, '/', 1) AS INTEGER) <= 12 THEN 8 ELSE 9 END
  WHEN s = '99999999' AND substr(v, 1, 2) IN ('19', '20') AND substr(v, 5, 2) BETWEEN '01' AND '12'
    AND substr(v, 7, 2) BETWEEN '01' AND '31' THEN 7
  WHEN replace(s, '9', '') = '' THEN 0
  WHEN substr(v, 1, 1) IN ('+', '-') AND LENGTH(v) > 1 AND replace(substr(s, 2), '9', '') = '' THEN 0
  WHEN v LIKE '%.%' AND substr(s, 1, 1) IN ('9', '+', '-', '.')
    AND (REGEXP_INSTR(v, '^[+-]?([0-9]+[.][0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') > 0)
    AND NOT (REGEXP_INSTR(v, '[^0-9eE.+-]') > 0) THEN 1
  WHEN s LIKE '9999-99-99T99:99%' OR s LIKE '9999-99-99 99:99%' THEN 10
  WHEN LENGTH(v) IN (4, 5) AND translate(v, 'truefals', 'TRUEFALS') IN ('TRUE', 'FALSE') THEN 2
  WHEN v LIKE '%@%' AND substr(v, 1, 1) <> '@' AND translate(v, '\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF', '') = v
    AND (REGEXP_INSTR(v, '^[^@]+@[^@]+[.][^@]+$') > 0) THEN 11
  ELSE 12 END AS k
      FROM (SELECT v, n, r, translate(v, '0123456789', '9999999999') AS s FROM q17) AS h17) AS c17) AS w17
)
SELECT 0 AS "kind", CAST(NULL AS BIGINT) AS "id", CAST(COUNT(*) AS BIGINT) AS "n", CAST(COUNT(CASE WHEN "#blank" THEN 1 END) AS BIGINT) AS "r", CAST(concat_ws(',', CAST(COUNT(CASE WHEN NOT "#blank" AND ("#f0" OR "#f1" OR "#f2" OR "#f3" OR "#f4" OR "#f5" OR "#f6" OR "#f7" OR "#f8" OR "#f9" OR "#f10" OR "#f11" OR "#f12" OR "#f13" OR "#f14" OR "#f15" OR "#f16" OR "#f17" OR "#f18" OR "#f19" OR "#f20" OR "#f21" OR "#f22" OR "#f23" OR "#f24" OR "#f25" OR "#f26" OR "#f27" OR "#f28" OR "#f29" OR "#f30" OR "#f31" OR "#f32" OR "#f33" OR "#f34" OR "#f35" OR "#f36" OR "#f37" OR "#f38" OR "#f39" OR "#f40" OR "#f41" OR "#f42" OR "#f43" OR "#f44" OR "#f45" OR "#f46" OR "#f47" OR "#f48" OR "#f49" OR "#f50" OR "#f51" OR "#f52") THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f0" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f1" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f2" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f3" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f4" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f5" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f6" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f7" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f8" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f9" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f10" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f11" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f12" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f13" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f14" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f15" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f16" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f17" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f18" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f19" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f20" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f21" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f22" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f23" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f24" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f25" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f26" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f27" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f28" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f29" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f30" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f31" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f32" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f33" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f34" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f35" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f36" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f37" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f38" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f39" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f40" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f41" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f42" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f43" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f44" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f45" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f46" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f47" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f48" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f49" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f50" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f51" THEN 1 END) AS VARCHAR), CAST(COUNT(CASE WHEN "#f52" THEN 1 END) AS VARCHAR)) AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM flags
UNION ALL
SELECT 1 AS "kind", CAST(0 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "patient_id" AS v, "#f0" FROM failing) AS c0 WHERE "#f0") AS x0 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(1 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "patient_id" AS v, "#f1" FROM failing) AS c1 WHERE "#f1") AS x1 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(2 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "patient_id" AS v, "#f2" FROM failing) AS c2 WHERE "#f2") AS x2 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(3 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "mrn" AS v, "#f3" FROM failing) AS c3 WHERE "#f3") AS x3 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(4 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "mrn" AS v, "#f4" FROM failing) AS c4 WHERE "#f4") AS x4 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(5 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "mrn" AS v, "#f5" FROM failing) AS c5 WHERE "#f5") AS x5 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(6 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f6" FROM failing) AS c6 WHERE "#f6") AS x6 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(7 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f7" FROM failing) AS c7 WHERE "#f7") AS x7 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(8 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f8" FROM failing) AS c8 WHERE "#f8") AS x8 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(9 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f9" FROM failing) AS c9 WHERE "#f9") AS x9 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(10 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_name" AS v, "#f10" FROM failing) AS c10 WHERE "#f10") AS x10 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(11 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f11" FROM failing) AS c11 WHERE "#f11") AS x11 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(12 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f12" FROM failing) AS c12 WHERE "#f12") AS x12 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(13 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f13" FROM failing) AS c13 WHERE "#f13") AS x13 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(14 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f14" FROM failing) AS c14 WHERE "#f14") AS x14 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(15 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "first_name" AS v, "#f15" FROM failing) AS c15 WHERE "#f15") AS x15 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(16 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "middle_name" AS v, "#f16" FROM failing) AS c16 WHERE "#f16") AS x16 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(17 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "middle_name" AS v, "#f17" FROM failing) AS c17 WHERE "#f17") AS x17 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(18 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "middle_name" AS v, "#f18" FROM failing) AS c18 WHERE "#f18") AS x18 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(19 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "birth_date" AS v, "#f19" FROM failing) AS c19 WHERE "#f19") AS x19 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(20 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "birth_date" AS v, "#f20" FROM failing) AS c20 WHERE "#f20") AS x20 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(21 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "birth_date" AS v, "#f21" FROM failing) AS c21 WHERE "#f21") AS x21 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(22 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "birth_date" AS v, "#f22" FROM failing) AS c22 WHERE "#f22") AS x22 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(23 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "sex" AS v, "#f23" FROM failing) AS c23 WHERE "#f23") AS x23 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(24 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "sex" AS v, "#f24" FROM failing) AS c24 WHERE "#f24") AS x24 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(25 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "sex" AS v, "#f25" FROM failing) AS c25 WHERE "#f25") AS x25 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(26 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "ssn" AS v, "#f26" FROM failing) AS c26 WHERE "#f26") AS x26 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(27 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "ssn" AS v, "#f27" FROM failing) AS c27 WHERE "#f27") AS x27 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(28 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "phone" AS v, "#f28" FROM failing) AS c28 WHERE "#f28") AS x28 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(29 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "phone" AS v, "#f29" FROM failing) AS c29 WHERE "#f29") AS x29 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(30 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "email" AS v, "#f30" FROM failing) AS c30 WHERE "#f30") AS x30 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(31 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "email" AS v, "#f31" FROM failing) AS c31 WHERE "#f31") AS x31 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(32 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "email" AS v, "#f32" FROM failing) AS c32 WHERE "#f32") AS x32 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(33 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "address_line" AS v, "#f33" FROM failing) AS c33 WHERE "#f33") AS x33 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(34 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "address_line" AS v, "#f34" FROM failing) AS c34 WHERE "#f34") AS x34 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(35 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "address_line" AS v, "#f35" FROM failing) AS c35 WHERE "#f35") AS x35 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(36 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "city" AS v, "#f36" FROM failing) AS c36 WHERE "#f36") AS x36 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(37 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "city" AS v, "#f37" FROM failing) AS c37 WHERE "#f37") AS x37 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(38 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "city" AS v, "#f38" FROM failing) AS c38 WHERE "#f38") AS x38 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(39 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "state" AS v, "#f39" FROM failing) AS c39 WHERE "#f39") AS x39 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(40 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "state" AS v, "#f40" FROM failing) AS c40 WHERE "#f40") AS x40 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(41 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "postal_code" AS v, "#f41" FROM failing) AS c41 WHERE "#f41") AS x41 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(42 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "postal_code" AS v, "#f42" FROM failing) AS c42 WHERE "#f42") AS x42 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(43 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "insurance_member_id" AS v, "#f43" FROM failing) AS c43 WHERE "#f43") AS x43 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(44 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "insurance_member_id" AS v, "#f44" FROM failing) AS c44 WHERE "#f44") AS x44 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(45 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "primary_care_provider" AS v, "#f45" FROM failing) AS c45 WHERE "#f45") AS x45 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(46 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "primary_care_provider" AS v, "#f46" FROM failing) AS c46 WHERE "#f46") AS x46 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(47 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "allergies" AS v, "#f47" FROM failing) AS c47 WHERE "#f47") AS x47 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(48 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "allergies" AS v, "#f48" FROM failing) AS c48 WHERE "#f48") AS x48 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(49 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "allergies" AS v, "#f49" FROM failing) AS c49 WHERE "#f49") AS x49 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(50 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_visit" AS v, "#f50" FROM failing) AS c50 WHERE "#f50") AS x50 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(51 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_visit" AS v, "#f51" FROM failing) AS c51 WHERE "#f51") AS x51 WHERE p <= 20
UNION ALL
SELECT 1 AS "kind", CAST(52 AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", "last_visit" AS v, "#f52" FROM failing) AS c52 WHERE "#f52") AS x52 WHERE p <= 20
UNION ALL
SELECT 2 AS "kind", CAST(NULL AS BIGINT) AS "id", CAST(NULL AS BIGINT) AS "n", CAST("preflight_row" AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM (SELECT "preflight_row", v, ROW_NUMBER() OVER (ORDER BY "preflight_row") AS p FROM (SELECT "preflight_row", NULL AS v, "#blank" FROM typed) AS b WHERE "#blank") AS bx WHERE p <= 20
UNION ALL
SELECT 3 AS "kind", CAST(0 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g0
UNION ALL
SELECT 3 AS "kind", CAST(1 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g1
UNION ALL
SELECT 3 AS "kind", CAST(2 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g2
UNION ALL
SELECT 3 AS "kind", CAST(3 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g3
UNION ALL
SELECT 3 AS "kind", CAST(4 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g4
UNION ALL
SELECT 3 AS "kind", CAST(5 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g5
UNION ALL
SELECT 3 AS "kind", CAST(6 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g6
UNION ALL
SELECT 3 AS "kind", CAST(7 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g7
UNION ALL
SELECT 3 AS "kind", CAST(8 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g8
UNION ALL
SELECT 3 AS "kind", CAST(9 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g9
UNION ALL
SELECT 3 AS "kind", CAST(10 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g10
UNION ALL
SELECT 3 AS "kind", CAST(11 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g11
UNION ALL
SELECT 3 AS "kind", CAST(12 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g12
UNION ALL
SELECT 3 AS "kind", CAST(13 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g13
UNION ALL
SELECT 3 AS "kind", CAST(14 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g14
UNION ALL
SELECT 3 AS "kind", CAST(15 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g15
UNION ALL
SELECT 3 AS "kind", CAST(16 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g16
UNION ALL
SELECT 3 AS "kind", CAST(17 AS BIGINT) AS "id", CAST(COALESCE(SUM(CASE WHEN v IS NULL THEN n END), 0) AS BIGINT) AS "n", CAST(COUNT(v) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM g17
UNION ALL
SELECT 4 AS "kind", CAST(0 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q0 AS q LEFT JOIN t0 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(1 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q1 AS q LEFT JOIN t1 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(2 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q2 AS q LEFT JOIN t2 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(3 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q3 AS q LEFT JOIN t3 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(4 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q4 AS q LEFT JOIN t4 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(5 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q5 AS q LEFT JOIN t5 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(6 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q6 AS q LEFT JOIN t6 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(7 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q7 AS q LEFT JOIN t7 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(8 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q8 AS q LEFT JOIN t8 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(9 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q9 AS q LEFT JOIN t9 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(10 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q10 AS q LEFT JOIN t10 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(11 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q11 AS q LEFT JOIN t11 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(12 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q12 AS q LEFT JOIN t12 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(13 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q13 AS q LEFT JOIN t13 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(14 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q14 AS q LEFT JOIN t14 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(15 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q15 AS q LEFT JOIN t15 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(16 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q16 AS q LEFT JOIN t16 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 4 AS "kind", CAST(17 AS BIGINT) AS "id", CAST(q.n AS BIGINT) AS "n", CAST(q.r AS BIGINT) AS "r", CAST(q.v AS VARCHAR) AS "v", CAST(t.t AS BIGINT) AS "t"
FROM q17 AS q LEFT JOIN t17 AS t ON t.v = q.v
WHERE q.p <= 1001
UNION ALL
SELECT 5 AS "kind", CAST(0 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s0 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(0 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s0 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(0 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s0) AS b0 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(1 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s1 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(1 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s1 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(1 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s1) AS b1 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(2 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s2 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(2 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s2 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(2 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s2) AS b2 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(3 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s3 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(3 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s3 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(3 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s3) AS b3 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(4 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s4 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(4 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s4 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(4 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s4) AS b4 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(5 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s5 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(5 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s5 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(5 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s5) AS b5 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(6 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s6 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(6 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s6 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(6 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s6) AS b6 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(7 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s7 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(7 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s7 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(7 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s7) AS b7 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(8 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s8 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(8 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s8 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(8 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s8) AS b8 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(9 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s9 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(9 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s9 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(9 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s9) AS b9 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(10 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s10 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(10 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s10 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(10 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s10) AS b10 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(11 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s11 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(11 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s11 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(11 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s11) AS b11 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(12 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s12 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(12 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s12 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(12 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s12) AS b12 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(13 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s13 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(13 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s13 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(13 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s13) AS b13 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(14 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s14 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(14 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s14 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(14 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s14) AS b14 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(15 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s15 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(15 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s15 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(15 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s15) AS b15 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(16 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s16 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(16 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s16 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(16 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s16) AS b16 WHERE b > 0
UNION ALL
SELECT 5 AS "kind", CAST(17 AS BIGINT) AS "id", CAST(k AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s17 GROUP BY k
UNION ALL
SELECT 5 AS "kind", CAST(17 AS BIGINT) AS "id", CAST(13 AS BIGINT) AS "n", CAST(SUM(n) AS BIGINT) AS "r", CAST(NULL AS VARCHAR) AS "v", CAST(NULL AS BIGINT) AS "t"
FROM s17 WHERE x IS NOT NULL
UNION ALL
SELECT 6 AS "kind", CAST(17 AS BIGINT) AS "id", CAST(b AS BIGINT) AS "n", CAST(r AS BIGINT) AS "r", CAST(v AS VARCHAR) AS "v", CAST(dt AS BIGINT) AS "t"
FROM (SELECT v, r, dt, CASE WHEN x0 = 1 AND x IS NOT NULL THEN 1 ELSE 0 END + CASE WHEN x1 = 1 AND x IS NOT NULL THEN 2 ELSE 0 END + CASE WHEN v0 = 1 THEN 4 ELSE 0 END + CASE WHEN v1 = 1 THEN 8 ELSE 0 END + CASE WHEN d0 = 1 AND dt IS NOT NULL THEN 16 ELSE 0 END + CASE WHEN d1 = 1 AND dt IS NOT NULL THEN 32 ELSE 0 END AS b FROM s17) AS b17 WHERE b > 0;
