-- protective_orders: the RMS's court orders, from application onwards.
--
-- Order types and statuses are the RMS's own codes; the lookups give the contract's
-- values (SPOF is a full Stalking Protection Order: SPO; SPOI an interim one: ISPO).
-- The status PE (pending) has no decision: null. The order's crime is the reference of
-- the occurrence it was applied for under (not checked by validation).
SELECT
    co.order_ref AS order_id,
    ot.order_type,
    lpa.lpa_name AS district,
    o.crime_ref AS crime_id,
    COALESCE(co.applied_legacy, co.applied_date || ' ' || co.applied_time) AS applied_at,
    st.decision,
    COALESCE(co.decision_legacy, co.decision_date || ' ' || co.decision_time) AS decided_at,
    COALESCE(co.iom_referral_legacy, co.iom_referral_date || ' ' || co.iom_referral_time)
        AS iom_referred_at
FROM court_orders AS co
LEFT JOIN ref_order_type AS ot ON ot.order_type_code = co.order_type_code
LEFT JOIN ref_order_status AS st ON st.status_code = co.status_code
LEFT JOIN ref_lpa AS lpa ON lpa.lpa_code = co.lpa_code
LEFT JOIN occurrences AS o ON o.occurrence_id = co.occurrence_id
ORDER BY co.order_pk;
