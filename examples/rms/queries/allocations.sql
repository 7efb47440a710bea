-- allocations: every allocation of an occurrence to a unit (the whole history).
--
-- Units are codes; the lookup gives the unit's name as the KPIs know it ('CID', ...).
-- Allocations of deleted occurrences are kept: validation reports them as allocations
-- of an unknown crime rather than losing them silently.
SELECT
    o.crime_ref AS crime_id,
    u.unit_name AS unit,
    COALESCE(a.allocated_legacy, a.allocated_date || ' ' || a.allocated_time) AS allocated_at
FROM unit_allocations AS a
LEFT JOIN occurrences AS o ON o.occurrence_id = a.occurrence_id
LEFT JOIN ref_unit AS u ON u.unit_code = a.unit_code
ORDER BY a.allocation_id;
