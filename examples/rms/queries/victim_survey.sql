-- victim_survey (contract v1.1): one row per answer to the victim satisfaction survey.
--
-- A response names the occurrence the victim was surveyed about (it may name none) and
-- when it was answered; its answers are scored 1 to 5 per question code.
SELECT
    r.response_ref AS response_id,
    o.crime_ref AS crime_id,
    COALESCE(r.responded_legacy, r.responded_date || ' ' || r.responded_time)
        AS responded_at,
    q.question,
    a.score
FROM survey_answers AS a
LEFT JOIN survey_responses AS r ON r.response_pk = a.response_pk
LEFT JOIN occurrences AS o ON o.occurrence_id = r.occurrence_id
LEFT JOIN ref_survey_question AS q ON q.question_code = a.question_code
ORDER BY a.answer_pk;
