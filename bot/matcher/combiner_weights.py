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
tuning109_train, tuning110_train, tuning111_train, tuning112_train, tuning113_train,
tuning114_train, tuning115_train, tuning116_train, tuning117_train, tuning118_train,
tuning119_train, tuning120_train, tuning121_train, tuning122_train, tuning123_train,
tuning124_train, tuning125_train, tuning126_train, tuning127_train, tuning128_train,
tuning130_train, tuning131_train, tuning132_train, tuning133_train, tuning134_train,
tuning135_train, tuning136_train.
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
    "linear",
    "linear_first",
    "linear_lead",
)
MEAN = (
    0.124777,  # ours_answer
    0.033249,  # ours_suggest
    0.05736,  # ours_decline
    0.144678,  # matcher_second
    0.138884,  # matcher_third
    0.11911,  # matcher_score
    0.298208,  # matcher_ratio
    0.204822,  # share_3
    0.204351,  # share_5
    0.203174,  # share_10
    0.150028,  # closest
    -0.201185,  # closest_behind
    0.205981,  # nearest_is
    0.162155,  # decline
    0.056405,  # decline_coverage
    0.019782,  # chat
    0.118156,  # share_5_answer
    0.029927,  # share_5_suggest
    0.056268,  # share_5_decline
    0.103209,  # ours_coverage
    0.037734,  # ours_lead
    0.097416,  # ours_repaired
    0.20441,  # as_written_share_5
    0.199399,  # as_written_closest
    0.206301,  # as_written_nearest_is
    0.026469,  # decline_named
    0.204292,  # likely
    0.208259,  # likely_first
    0.02142,  # ours_service
    0.0,  # decline_service
    -0.699854,  # linear
    0.208712,  # linear_first
    -0.759442,  # linear_lead
)
SCALE = (
    0.330466,  # ours_answer
    0.179286,  # ours_suggest
    0.232529,  # ours_decline
    0.351776,  # matcher_second
    0.345825,  # matcher_third
    0.195207,  # matcher_score
    0.399278,  # matcher_ratio
    0.353048,  # share_3
    0.335485,  # share_5
    0.312156,  # share_10
    0.165329,  # closest
    0.180423,  # closest_behind
    0.404417,  # nearest_is
    0.368593,  # decline
    0.150637,  # decline_coverage
    0.139249,  # chat
    0.278155,  # share_5_answer
    0.135384,  # share_5_suggest
    0.201465,  # share_5_decline
    0.23943,  # ours_coverage
    0.13436,  # ours_lead
    0.296523,  # ours_repaired
    0.331959,  # as_written_share_5
    0.211255,  # as_written_closest
    0.404649,  # as_written_nearest_is
    0.160524,  # decline_named
    0.379092,  # likely
    0.406063,  # likely_first
    0.14478,  # ours_service
    1.0,  # decline_service
    0.692652,  # linear
    0.406388,  # linear_first
    1.157709,  # linear_lead
)
WEIGHTS = (
    0.195972,  # ours_answer
    0.100325,  # ours_suggest
    0.156089,  # ours_decline
    0.099594,  # matcher_second
    0.03267,  # matcher_third
    0.080003,  # matcher_score
    0.054732,  # matcher_ratio
    -0.092511,  # share_3
    -0.011314,  # share_5
    -0.076071,  # share_10
    -0.088458,  # closest
    0.428261,  # closest_behind
    -0.003909,  # nearest_is
    0.031089,  # decline
    -0.118395,  # decline_coverage
    -0.050439,  # chat
    -0.116442,  # share_5_answer
    0.00919,  # share_5_suggest
    0.13575,  # share_5_decline
    -0.054515,  # ours_coverage
    0.123775,  # ours_lead
    -0.131872,  # ours_repaired
    0.553063,  # as_written_share_5
    0.295232,  # as_written_closest
    0.121171,  # as_written_nearest_is
    0.047663,  # decline_named
    0.692194,  # likely
    -0.015323,  # likely_first
    -0.163945,  # ours_service
    0.0,  # decline_service
    0.709693,  # linear
    0.127969,  # linear_first
    1.551246,  # linear_lead
)
BIAS = -2.93916
