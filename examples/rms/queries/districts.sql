-- districts: the local policing areas (LPAs) of the RMS's area lookup, ref_lpa.
--
-- ref_lpa also keeps codes that are not current policing areas (retired areas, areas of
-- other forces) so that old occurrences still show a name: lpa_type 'OTHER'. Those are
-- not districts; records that use them are reported as being in an unknown district.
-- The population is the area's resident population as the RMS holds it.
SELECT
    lpa_name AS district,
    resident_population AS population
FROM ref_lpa
WHERE lpa_type = 'LPA'
ORDER BY lpa_code;
