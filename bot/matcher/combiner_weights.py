"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:

tuning44_train, tuning45_train, tuning46_train, tuning47_train, tuning48_train, tuning49_train,
tuning50_train, tuning51_train, tuning57_train, tuning58_train, tuning59_train, tuning60_train,
tuning61_train, tuning62_train, tuning63_train, tuning64_train, tuning65_train, tuning66_train,
tuning74_train, tuning75_train, tuning76_train, tuning77_train, tuning78_train, tuning79_train,
tuning80_train.
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
    "likely",
    "likely_first",
)
MEAN = (
    0.093403,  # ours_answer
    0.031761,  # ours_suggest
    0.061192,  # ours_decline
    0.112901,  # matcher_second
    0.108609,  # matcher_third
    0.081603,  # matcher_score
    0.249459,  # matcher_ratio
    0.174109,  # share_3
    0.173645,  # share_5
    0.172668,  # share_10
    0.149428,  # closest
    -0.16901,  # closest_behind
    0.175728,  # nearest_is
    0.157865,  # decline
    0.050627,  # decline_coverage
    0.03127,  # chat
    0.086911,  # share_5_answer
    0.027402,  # share_5_suggest
    0.059333,  # share_5_decline
    0.073336,  # ours_coverage
    0.017848,  # ours_lead
    0.066506,  # ours_repaired
    0.174304,  # as_written_share_5
    0.195337,  # as_written_closest
    0.176709,  # as_written_nearest_is
    0.022523,  # decline_named
    0.171735,  # likely
    0.177567,  # likely_first
)
SCALE = (
    0.290996,  # ours_answer
    0.175363,  # ours_suggest
    0.239682,  # ours_decline
    0.316471,  # matcher_second
    0.311147,  # matcher_third
    0.138218,  # matcher_score
    0.383209,  # matcher_ratio
    0.314229,  # share_3
    0.291882,  # share_5
    0.261118,  # share_10
    0.147157,  # closest
    0.156031,  # closest_behind
    0.380588,  # nearest_is
    0.364614,  # decline
    0.141548,  # decline_coverage
    0.174048,  # chat
    0.230528,  # share_5_answer
    0.114522,  # share_5_suggest
    0.19304,  # share_5_decline
    0.188923,  # ours_coverage
    0.063215,  # ours_lead
    0.249164,  # ours_repaired
    0.287976,  # as_written_share_5
    0.192906,  # as_written_closest
    0.381422,  # as_written_nearest_is
    0.148377,  # decline_named
    0.340982,  # likely
    0.382148,  # likely_first
)
WEIGHTS = (
    0.123078,  # ours_answer
    0.101684,  # ours_suggest
    0.444739,  # ours_decline
    -0.034824,  # matcher_second
    -0.116661,  # matcher_third
    0.122623,  # matcher_score
    0.327701,  # matcher_ratio
    -0.124379,  # share_3
    -0.106404,  # share_5
    0.652042,  # share_10
    -0.199116,  # closest
    0.53417,  # closest_behind
    0.004603,  # nearest_is
    0.12917,  # decline
    -0.084015,  # decline_coverage
    -0.068857,  # chat
    -0.20085,  # share_5_answer
    0.041622,  # share_5_suggest
    0.054277,  # share_5_decline
    -0.236176,  # ours_coverage
    0.236798,  # ours_lead
    -0.035047,  # ours_repaired
    0.646636,  # as_written_share_5
    0.438936,  # as_written_closest
    0.129047,  # as_written_nearest_is
    0.022388,  # decline_named
    1.023477,  # likely
    -0.065248,  # likely_first
)
BIAS = -2.660368
