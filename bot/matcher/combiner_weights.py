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
)
WEIGHTS = (
    0.147624,  # ours_answer
    0.083511,  # ours_suggest
    0.434738,  # ours_decline
    -0.036277,  # matcher_second
    -0.117109,  # matcher_third
    0.062479,  # matcher_score
    0.421813,  # matcher_ratio
    -0.029932,  # share_3
    -0.091935,  # share_5
    1.180848,  # share_10
    -0.212308,  # closest
    0.536778,  # closest_behind
    0.025303,  # nearest_is
    0.152371,  # decline
    -0.204335,  # decline_coverage
    -0.105285,  # chat
    -0.206917,  # share_5_answer
    0.056863,  # share_5_suggest
    0.074356,  # share_5_decline
    -0.226935,  # ours_coverage
    0.290433,  # ours_lead
    -0.000146,  # ours_repaired
    0.814064,  # as_written_share_5
    0.44591,  # as_written_closest
    0.161548,  # as_written_nearest_is
    -0.024124,  # decline_named
)
BIAS = -2.598267
