"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:

tuning44_train, tuning45_train, tuning46_train, tuning47_train, tuning48_train, tuning49_train,
tuning50_train, tuning51_train, tuning57_train, tuning58_train, tuning59_train, tuning60_train,
tuning61_train, tuning62_train, tuning63_train, tuning64_train, tuning65_train, tuning66_train.
"""

FEATURES = (
    "ours_answer",
    "ours_suggest",
    "ours_decline",
    "matcher_second",
    "matcher_third",
    "matcher_score",
    "matcher_ratio",
    "share_3",
    "share_5",
    "share_10",
    "closest",
    "closest_behind",
    "nearest_is",
    "decline",
    "decline_coverage",
    "chat",
    "share_5_answer",
    "share_5_suggest",
    "share_5_decline",
    "ours_coverage",
    "ours_lead",
    "ours_repaired",
    "as_written_share_5",
    "as_written_closest",
    "as_written_nearest_is",
    "decline_named",
)
MEAN = (
    0.09901,  # ours_answer
    0.029644,  # ours_suggest
    0.062101,  # ours_decline
    0.117699,  # matcher_second
    0.113774,  # matcher_third
    0.086806,  # matcher_score
    0.26036,  # matcher_ratio
    0.178535,  # share_3
    0.177919,  # share_5
    0.176622,  # share_10
    0.139801,  # closest
    -0.162379,  # closest_behind
    0.179507,  # nearest_is
    0.162107,  # decline
    0.052937,  # decline_coverage
    0.034976,  # chat
    0.092198,  # share_5_answer
    0.025275,  # share_5_suggest
    0.060446,  # share_5_decline
    0.075873,  # ours_coverage
    0.01793,  # ours_lead
    0.061164,  # ours_repaired
    0.178204,  # as_written_share_5
    0.185472,  # as_written_closest
    0.180678,  # as_written_nearest_is
    0.023786,  # decline_named
)
SCALE = (
    0.298675,  # ours_answer
    0.169604,  # ours_suggest
    0.241339,  # ours_decline
    0.322251,  # matcher_second
    0.317536,  # matcher_third
    0.141629,  # matcher_score
    0.387395,  # matcher_ratio
    0.316181,  # share_3
    0.293392,  # share_5
    0.262646,  # share_10
    0.137596,  # closest
    0.149075,  # closest_behind
    0.383776,  # nearest_is
    0.368549,  # decline
    0.144473,  # decline_coverage
    0.183718,  # chat
    0.23452,  # share_5_answer
    0.112312,  # share_5_suggest
    0.193203,  # share_5_decline
    0.191358,  # ours_coverage
    0.062333,  # ours_lead
    0.23963,  # ours_repaired
    0.28751,  # as_written_share_5
    0.183558,  # as_written_closest
    0.384752,  # as_written_nearest_is
    0.152381,  # decline_named
)
WEIGHTS = (
    0.14407,  # ours_answer
    0.114656,  # ours_suggest
    0.393083,  # ours_decline
    -0.084217,  # matcher_second
    -0.154763,  # matcher_third
    0.050321,  # matcher_score
    0.498165,  # matcher_ratio
    0.049863,  # share_3
    -0.130085,  # share_5
    1.290479,  # share_10
    -0.080263,  # closest
    0.61119,  # closest_behind
    -0.017636,  # nearest_is
    0.172778,  # decline
    -0.177157,  # decline_coverage
    -0.107527,  # chat
    -0.228094,  # share_5_answer
    0.012143,  # share_5_suggest
    0.07227,  # share_5_decline
    -0.257809,  # ours_coverage
    0.271238,  # ours_lead
    -0.049311,  # ours_repaired
    0.693344,  # as_written_share_5
    0.314548,  # as_written_closest
    0.09408,  # as_written_nearest_is
    -0.035468,  # decline_named
)
BIAS = -2.587475
