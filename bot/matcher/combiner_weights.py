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
    0.118823,  # ours_answer
    0.029029,  # ours_suggest
    0.054476,  # ours_decline
    0.135495,  # matcher_second
    0.130413,  # matcher_third
    0.11246,  # matcher_score
    0.277144,  # matcher_ratio
    0.190645,  # share_3
    0.190122,  # share_5
    0.189127,  # share_10
    0.137646,  # closest
    -0.172483,  # closest_behind
    0.191324,  # nearest_is
    0.151472,  # decline
    0.052341,  # decline_coverage
    0.02201,  # chat
    0.111795,  # share_5_answer
    0.025064,  # share_5_suggest
    0.053262,  # share_5_decline
    0.097306,  # ours_coverage
    0.036534,  # ours_lead
    0.08367,  # ours_repaired
    0.191269,  # as_written_share_5
    0.187592,  # as_written_closest
    0.193079,  # as_written_nearest_is
    0.025702,  # decline_named
    0.189372,  # likely
    0.194834,  # likely_first
    0.021352,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.323581,  # ours_answer
    0.167889,  # ours_suggest
    0.226955,  # ours_decline
    0.342252,  # matcher_second
    0.336758,  # matcher_third
    0.193565,  # matcher_score
    0.39216,  # matcher_ratio
    0.334988,  # share_3
    0.315692,  # share_5
    0.292055,  # share_10
    0.147002,  # closest
    0.159948,  # closest_behind
    0.393344,  # nearest_is
    0.358509,  # decline
    0.145843,  # decline_coverage
    0.146715,  # chat
    0.266669,  # share_5_answer
    0.113203,  # share_5_suggest
    0.189517,  # share_5_decline
    0.234861,  # ours_coverage
    0.133797,  # ours_lead
    0.276892,  # ours_repaired
    0.318137,  # as_written_share_5
    0.200705,  # as_written_closest
    0.394714,  # as_written_nearest_is
    0.158246,  # decline_named
    0.361698,  # likely
    0.396073,  # likely_first
    0.144554,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.209211,  # ours_answer
    0.082315,  # ours_suggest
    0.410025,  # ours_decline
    0.044155,  # matcher_second
    -0.014884,  # matcher_third
    0.175404,  # matcher_score
    0.240712,  # matcher_ratio
    -0.131634,  # share_3
    -0.148869,  # share_5
    0.648433,  # share_10
    -0.17592,  # closest
    0.584422,  # closest_behind
    -0.160322,  # nearest_is
    0.323748,  # decline
    -0.177307,  # decline_coverage
    -0.052053,  # chat
    -0.189606,  # share_5_answer
    -0.000386,  # share_5_suggest
    0.019044,  # share_5_decline
    -0.184282,  # ours_coverage
    0.261507,  # ours_lead
    -0.071435,  # ours_repaired
    0.877287,  # as_written_share_5
    0.484177,  # as_written_closest
    0.292947,  # as_written_nearest_is
    0.013445,  # decline_named
    1.191075,  # likely
    -0.060122,  # likely_first
    -0.232114,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.667444
