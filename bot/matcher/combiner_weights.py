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
    0.115286,  # ours_answer
    0.027494,  # ours_suggest
    0.056474,  # ours_decline
    0.13074,  # matcher_second
    0.126568,  # matcher_third
    0.108449,  # matcher_score
    0.267764,  # matcher_ratio
    0.186871,  # share_3
    0.186012,  # share_5
    0.184883,  # share_10
    0.148684,  # closest
    -0.171922,  # closest_behind
    0.187972,  # nearest_is
    0.150112,  # decline
    0.049554,  # decline_coverage
    0.026894,  # chat
    0.107345,  # share_5_answer
    0.023695,  # share_5_suggest
    0.054971,  # share_5_decline
    0.093038,  # ours_coverage
    0.035697,  # ours_lead
    0.068988,  # ours_repaired
    0.186653,  # as_written_share_5
    0.188261,  # as_written_closest
    0.188667,  # as_written_nearest_is
    0.026009,  # decline_named
    0.185897,  # likely
    0.190785,  # likely_first
    0.02149,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.319367,  # ours_answer
    0.163518,  # ours_suggest
    0.230834,  # ours_decline
    0.337116,  # matcher_second
    0.332489,  # matcher_third
    0.192226,  # matcher_score
    0.389236,  # matcher_ratio
    0.328523,  # share_3
    0.306684,  # share_5
    0.279164,  # share_10
    0.149255,  # closest
    0.158785,  # closest_behind
    0.39069,  # nearest_is
    0.357181,  # decline
    0.141557,  # decline_coverage
    0.161773,  # chat
    0.256795,  # share_5_answer
    0.108841,  # share_5_suggest
    0.1891,  # share_5_decline
    0.230565,  # ours_coverage
    0.133849,  # ours_lead
    0.253434,  # ours_repaired
    0.303904,  # as_written_share_5
    0.189833,  # as_written_closest
    0.391244,  # as_written_nearest_is
    0.159162,  # decline_named
    0.357243,  # likely
    0.39292,  # likely_first
    0.14501,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.201865,  # ours_answer
    0.130472,  # ours_suggest
    0.434649,  # ours_decline
    0.02844,  # matcher_second
    -0.091346,  # matcher_third
    0.17324,  # matcher_score
    0.240107,  # matcher_ratio
    0.051024,  # share_3
    -0.175393,  # share_5
    0.707042,  # share_10
    -0.18874,  # closest
    0.541468,  # closest_behind
    -0.062594,  # nearest_is
    0.160246,  # decline
    -0.11585,  # decline_coverage
    -0.081435,  # chat
    -0.217141,  # share_5_answer
    0.023167,  # share_5_suggest
    -0.002913,  # share_5_decline
    -0.201977,  # ours_coverage
    0.263755,  # ours_lead
    -0.043789,  # ours_repaired
    0.601106,  # as_written_share_5
    0.430936,  # as_written_closest
    0.130823,  # as_written_nearest_is
    0.016855,  # decline_named
    1.110932,  # likely
    -0.069685,  # likely_first
    -0.248672,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.585319
