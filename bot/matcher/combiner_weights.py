"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:

tuning44_train, tuning45_train, tuning46_train, tuning47_train, tuning48_train, tuning49_train,
tuning50_train, tuning51_train, tuning57_train, tuning58_train, tuning59_train, tuning60_train,
tuning61_train, tuning62_train, tuning63_train, tuning64_train, tuning65_train, tuning66_train,
tuning74_train, tuning75_train, tuning76_train, tuning77_train, tuning78_train, tuning79_train,
tuning80_train, tuning81_train, tuning82_train, tuning83_train, tuning84_train, tuning85_train,
tuning86_train.
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
    "ours_service",
    "decline_service",
)
MEAN = (
    0.116938,  # ours_answer
    0.027888,  # ours_suggest
    0.057283,  # ours_decline
    0.129055,  # matcher_second
    0.125272,  # matcher_third
    0.108724,  # matcher_score
    0.270322,  # matcher_ratio
    0.187429,  # share_3
    0.186468,  # share_5
    0.185265,  # share_10
    0.148825,  # closest
    -0.171977,  # closest_behind
    0.18871,  # nearest_is
    0.152263,  # decline
    0.050264,  # decline_coverage
    0.027279,  # chat
    0.106675,  # share_5_answer
    0.024035,  # share_5_suggest
    0.055759,  # share_5_decline
    0.094371,  # ours_coverage
    0.036209,  # ours_lead
    0.069977,  # ours_repaired
    0.187049,  # as_written_share_5
    0.188268,  # as_written_closest
    0.189447,  # as_written_nearest_is
    0.026382,  # decline_named
    0.186763,  # likely
    0.191755,  # likely_first
    0.021798,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.321346,  # ours_answer
    0.164652,  # ours_suggest
    0.232383,  # ours_decline
    0.335261,  # matcher_second
    0.331028,  # matcher_third
    0.192945,  # matcher_score
    0.391108,  # matcher_ratio
    0.328784,  # share_3
    0.306965,  # share_5
    0.279401,  # share_10
    0.149425,  # closest
    0.15893,  # closest_behind
    0.391278,  # nearest_is
    0.359276,  # decline
    0.142442,  # decline_coverage
    0.162896,  # chat
    0.256314,  # share_5_answer
    0.109581,  # share_5_suggest
    0.190334,  # share_5_decline
    0.231939,  # ours_coverage
    0.134736,  # ours_lead
    0.255108,  # ours_repaired
    0.304169,  # as_written_share_5
    0.189852,  # as_written_closest
    0.391864,  # as_written_nearest_is
    0.160267,  # decline_named
    0.357728,  # likely
    0.393682,  # likely_first
    0.146022,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.203547,  # ours_answer
    0.128496,  # ours_suggest
    0.436396,  # ours_decline
    0.026468,  # matcher_second
    -0.09515,  # matcher_third
    0.166466,  # matcher_score
    0.248127,  # matcher_ratio
    0.044201,  # share_3
    -0.171624,  # share_5
    0.702386,  # share_10
    -0.187697,  # closest
    0.537842,  # closest_behind
    -0.063593,  # nearest_is
    0.160529,  # decline
    -0.116739,  # decline_coverage
    -0.082806,  # chat
    -0.217713,  # share_5_answer
    0.025401,  # share_5_suggest
    0.001769,  # share_5_decline
    -0.201601,  # ours_coverage
    0.268715,  # ours_lead
    -0.044608,  # ours_repaired
    0.601038,  # as_written_share_5
    0.435857,  # as_written_closest
    0.128485,  # as_written_nearest_is
    0.01724,  # decline_named
    1.107023,  # likely
    -0.066919,  # likely_first
    -0.249399,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.573192
