-- name: product_name_words
-- description: Most frequent words in product names (UNNEST of SPLIT with WITH OFFSET).
-- expect: portable
SELECT word, pos, COUNT(*) AS products
FROM {{ ref('dim_product') }} AS p, UNNEST(SPLIT(p.product_name, ' ')) AS word WITH OFFSET AS pos
WHERE pos < 2
GROUP BY word, pos
ORDER BY products DESC, word, pos
LIMIT 15
