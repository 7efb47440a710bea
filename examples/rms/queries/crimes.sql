-- crimes: one row per live occurrence of the RMS.
--
-- Dates and times: the RMS keeps a date ('2024-01-15') and a time ('09:00:00') in two text
-- columns; joined with one space they are the contract's 'YYYY-MM-DD HH:MM:SS'. Records
-- migrated from the old system kept their timestamp verbatim in a *_legacy column, which
-- is taken as it is (validation then judges it, e.g. a date without a time).
-- Deleted occurrences (record_status 'DELETED') are not crimes. Their allocations, victims
-- and orders still point at them, and are reported by validation as of an unknown crime.
WITH principal_offence AS (
    -- One occurrence may list several offences; the contract's offence_code is the
    -- principal one.
    SELECT occurrence_id, ho_offence_code
    FROM offences
    WHERE principal = 'Y'
),
first_arrest AS (
    -- A suspect may be arrested more than once; the contract wants the first arrest.
    -- Dates and times are ISO text of a fixed width, so the smallest text is the earliest.
    SELECT
        occurrence_id,
        MIN(COALESCE(arrest_legacy, arrest_date || ' ' || arrest_time)) AS arrested_at
    FROM arrests
    GROUP BY occurrence_id
)
SELECT
    o.crime_ref AS crime_id,
    -- Districts are codes: the lookup gives the name the districts query returns.
    lpa.lpa_name AS district,
    COALESCE(o.reported_legacy, o.reported_date || ' ' || o.reported_time) AS reported_at,
    COALESCE(o.recorded_legacy, o.recorded_date || ' ' || o.recorded_time) AS recorded_at,
    COALESCE(o.classified_legacy, o.classified_date || ' ' || o.classified_time)
        AS classified_at,
    po.ho_offence_code AS offence_code,
    -- Flags are rows. DA (domestic abuse) and SE (stalking element): no row means no;
    -- a row answered Y or N is yes or no; a row with no answer is null (an error the
    -- report lists); a migrated value is passed on for validation to judge.
    CASE
        WHEN se.occurrence_id IS NULL THEN '0'
        WHEN se.flag_value = 'Y' THEN '1'
        WHEN se.flag_value = 'N' THEN '0'
        ELSE se.legacy_value
    END AS stalking_element,
    CASE
        WHEN da.occurrence_id IS NULL THEN '0'
        WHEN da.flag_value = 'Y' THEN '1'
        WHEN da.flag_value = 'N' THEN '0'
        ELSE da.legacy_value
    END AS domestic_abuse,
    -- Risk (DASH / S-DASH) is a code: H, M or S.
    CASE o.risk_code
        WHEN 'H' THEN 'high'
        WHEN 'M' THEN 'medium'
        WHEN 'S' THEN 'standard'
        ELSE o.risk_legacy
    END AS risk_level,
    o.breached_order_ref AS breach_of_order_id,
    fa.arrested_at,
    -- Outcomes are RMS codes; the lookup gives the Home Office outcome type.
    ro.ho_outcome_type AS outcome_code,
    COALESCE(oo.outcome_legacy, oo.outcome_date || ' ' || oo.outcome_time) AS outcome_at,
    -- OL (online element) is asked, not raised: no row means not assessed (null).
    CASE
        WHEN ol.flag_value = 'Y' THEN '1'
        WHEN ol.flag_value = 'N' THEN '0'
        ELSE ol.legacy_value
    END AS online_element
FROM occurrences AS o
LEFT JOIN ref_lpa AS lpa ON lpa.lpa_code = o.lpa_code
LEFT JOIN principal_offence AS po ON po.occurrence_id = o.occurrence_id
-- Each flag is held at most once per occurrence.
LEFT JOIN occurrence_flags AS se ON se.occurrence_id = o.occurrence_id AND se.flag_code = 'SE'
LEFT JOIN occurrence_flags AS da ON da.occurrence_id = o.occurrence_id AND da.flag_code = 'DA'
LEFT JOIN occurrence_flags AS ol ON ol.occurrence_id = o.occurrence_id AND ol.flag_code = 'OL'
LEFT JOIN first_arrest AS fa ON fa.occurrence_id = o.occurrence_id
LEFT JOIN occurrence_outcomes AS oo ON oo.occurrence_id = o.occurrence_id
LEFT JOIN ref_outcome AS ro ON ro.outcome_code = oo.outcome_code
WHERE o.record_status = 'ACTIVE'
ORDER BY o.occurrence_id;
