"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:

tuning44_train, tuning45_train, tuning46_train, tuning47_train, tuning48_train, tuning49_train,
tuning50_train, tuning51_train, tuning57_train, tuning58_train, tuning59_train, tuning60_train,
tuning61_train, tuning62_train, tuning63_train, tuning64_train, tuning65_train, tuning66_train,
tuning74_train, tuning75_train, tuning76_train, tuning77_train, tuning78_train, tuning79_train,
tuning80_train, tuning81_train, tuning82_train, tuning83_train, tuning84_train, tuning85_train,
tuning86_train, tuning87_train, tuning88_train, tuning89_train, tuning90_train, tuning91_train,
tuning92_train, tuning94_train, tuning95_train, tuning96_train, tuning97_train, tuning98_train,
tuning99_train, tuning100_train, tuning101_train, tuning102_train, tuning103_train,
tuning104_train, tuning105_train, tuning106_train, tuning107_train, tuning108_train,
tuning109_train, tuning110_train.
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
    0.124657,  # ours_answer
    0.030426,  # ours_suggest
    0.056995,  # ours_decline
    0.142114,  # matcher_second
    0.136858,  # matcher_third
    0.117995,  # matcher_score
    0.290721,  # matcher_ratio
    0.200742,  # share_3
    0.20005,  # share_5
    0.198825,  # share_10
    0.149002,  # closest
    -0.201812,  # closest_behind
    0.202064,  # nearest_is
    0.158709,  # decline
    0.054875,  # decline_coverage
    0.021333,  # chat
    0.117369,  # share_5_answer
    0.02682,  # share_5_suggest
    0.055861,  # share_5_decline
    0.102063,  # ours_coverage
    0.038333,  # ours_lead
    0.087555,  # ours_repaired
    0.200147,  # as_written_share_5
    0.193899,  # as_written_closest
    0.202275,  # as_written_nearest_is
    0.026953,  # decline_named
    0.200321,  # likely
    0.204654,  # likely_first
    0.022407,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.33033,  # ours_answer
    0.171756,  # ours_suggest
    0.231834,  # ours_decline
    0.349167,  # matcher_second
    0.343697,  # matcher_third
    0.196633,  # matcher_score
    0.396705,  # matcher_ratio
    0.346802,  # share_3
    0.328363,  # share_5
    0.303345,  # share_10
    0.162275,  # closest
    0.181523,  # closest_behind
    0.40154,  # nearest_is
    0.365404,  # decline
    0.148865,  # decline_coverage
    0.14449,  # chat
    0.274386,  # share_5_answer
    0.125184,  # share_5_suggest
    0.198162,  # share_5_decline
    0.239543,  # ours_coverage
    0.13681,  # ours_lead
    0.282647,  # ours_repaired
    0.324331,  # as_written_share_5
    0.200965,  # as_written_closest
    0.401696,  # as_written_nearest_is
    0.161947,  # decline_named
    0.374735,  # likely
    0.403449,  # likely_first
    0.148003,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.222518,  # ours_answer
    0.090499,  # ours_suggest
    0.405261,  # ours_decline
    0.017263,  # matcher_second
    -0.020306,  # matcher_third
    0.178841,  # matcher_score
    0.258604,  # matcher_ratio
    -0.145268,  # share_3
    -0.002406,  # share_5
    0.677899,  # share_10
    -0.128981,  # closest
    0.746068,  # closest_behind
    -0.093835,  # nearest_is
    0.31113,  # decline
    -0.163374,  # decline_coverage
    -0.066578,  # chat
    -0.087814,  # share_5_answer
    0.03376,  # share_5_suggest
    0.096278,  # share_5_decline
    -0.20991,  # ours_coverage
    0.245446,  # ours_lead
    -0.08908,  # ours_repaired
    0.511404,  # as_written_share_5
    0.423096,  # as_written_closest
    0.184084,  # as_written_nearest_is
    0.013916,  # decline_named
    1.265387,  # likely
    -0.089374,  # likely_first
    -0.215448,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.662303
