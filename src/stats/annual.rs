//! Year-end evaluation: metrics, rubric scores, grades, vetoes and award lists.
