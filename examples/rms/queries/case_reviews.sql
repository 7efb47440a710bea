-- case_reviews (contract v1.1): one row per question answered in a dip-sample review.
--
-- The RMS's quality assurance module holds a review once (the occurrence reviewed, when,
-- and the quarter's theme as a code) and its answers separately, one per question. The
-- contract wants one row per answer, with the review's details repeated on each.
-- Answers are codes: Y, N and NA (not applicable); a migrated value is passed on as it is.
SELECT
    r.review_ref AS review_id,
    o.crime_ref AS crime_id,
    COALESCE(r.reviewed_legacy, r.reviewed_date || ' ' || r.reviewed_time) AS reviewed_at,
    th.theme,
    q.question,
    CASE a.answer_code
        WHEN 'Y' THEN 'yes'
        WHEN 'N' THEN 'no'
        WHEN 'NA' THEN 'n/a'
        ELSE a.answer_legacy
    END AS answer
FROM qa_review_answers AS a
LEFT JOIN qa_reviews AS r ON r.review_pk = a.review_pk
LEFT JOIN occurrences AS o ON o.occurrence_id = r.occurrence_id
LEFT JOIN ref_qa_theme AS th ON th.theme_code = r.theme_code
LEFT JOIN ref_qa_question AS q ON q.question_code = a.question_code
ORDER BY a.answer_pk;
