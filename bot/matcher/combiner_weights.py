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
tuning124_train, tuning125_train, tuning126_train, tuning127_train, tuning128_train.
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
    0.12309,  # ours_answer
    0.032892,  # ours_suggest
    0.057189,  # ours_decline
    0.142822,  # matcher_second
    0.136972,  # matcher_third
    0.117606,  # matcher_score
    0.293999,  # matcher_ratio
    0.202653,  # share_3
    0.201983,  # share_5
    0.200955,  # share_10
    0.148075,  # closest
    -0.198816,  # closest_behind
    0.203753,  # nearest_is
    0.160272,  # decline
    0.055585,  # decline_coverage
    0.020238,  # chat
    0.11648,  # share_5_answer
    0.029501,  # share_5_suggest
    0.056002,  # share_5_decline
    0.102112,  # ours_coverage
    0.037443,  # ours_lead
    0.096958,  # ours_repaired
    0.202205,  # as_written_share_5
    0.199281,  # as_written_closest
    0.204013,  # as_written_nearest_is
    0.026348,  # decline_named
    0.201782,  # likely
    0.205992,  # likely_first
    0.021437,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.32854,  # ours_answer
    0.178355,  # ours_suggest
    0.232204,  # ours_decline
    0.349891,  # matcher_second
    0.343817,  # matcher_third
    0.194885,  # matcher_score
    0.398132,  # matcher_ratio
    0.350992,  # share_3
    0.332783,  # share_5
    0.309248,  # share_10
    0.162651,  # closest
    0.178353,  # closest_behind
    0.402787,  # nearest_is
    0.366858,  # decline
    0.14961,  # decline_coverage
    0.140814,  # chat
    0.275638,  # share_5_answer
    0.133754,  # share_5_suggest
    0.200252,  # share_5_decline
    0.238558,  # ours_coverage
    0.134267,  # ours_lead
    0.2959,  # ours_repaired
    0.329239,  # as_written_share_5
    0.209978,  # as_written_closest
    0.402978,  # as_written_nearest_is
    0.160169,  # decline_named
    0.376679,  # likely
    0.404425,  # likely_first
    0.144836,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.208885,  # ours_answer
    0.121151,  # ours_suggest
    0.403306,  # ours_decline
    0.042745,  # matcher_second
    -0.023025,  # matcher_third
    0.17381,  # matcher_score
    0.224502,  # matcher_ratio
    -0.100729,  # share_3
    -0.06284,  # share_5
    0.656041,  # share_10
    -0.114189,  # closest
    0.705013,  # closest_behind
    -0.023449,  # nearest_is
    0.308703,  # decline
    -0.172484,  # decline_coverage
    -0.055373,  # chat
    -0.117557,  # share_5_answer
    -0.008338,  # share_5_suggest
    0.062954,  # share_5_decline
    -0.148219,  # ours_coverage
    0.241556,  # ours_lead
    -0.123999,  # ours_repaired
    0.681217,  # as_written_share_5
    0.407946,  # as_written_closest
    0.114646,  # as_written_nearest_is
    0.015731,  # decline_named
    1.251165,  # likely
    -0.062512,  # likely_first
    -0.224002,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.642829
