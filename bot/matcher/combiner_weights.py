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
tuning119_train, tuning120_train, tuning121_train, tuning122_train.
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
    0.122385,  # ours_answer
    0.032467,  # ours_suggest
    0.056779,  # ours_decline
    0.141759,  # matcher_second
    0.136056,  # matcher_third
    0.116573,  # matcher_score
    0.291446,  # matcher_ratio
    0.201013,  # share_3
    0.200324,  # share_5
    0.199268,  # share_10
    0.145546,  # closest
    -0.195316,  # closest_behind
    0.202209,  # nearest_is
    0.159539,  # decline
    0.055257,  # decline_coverage
    0.020687,  # chat
    0.115664,  # share_5_answer
    0.029018,  # share_5_suggest
    0.055642,  # share_5_decline
    0.101169,  # ours_coverage
    0.037394,  # ours_lead
    0.094355,  # ours_repaired
    0.200507,  # as_written_share_5
    0.198302,  # as_written_closest
    0.202459,  # as_written_nearest_is
    0.026436,  # decline_named
    0.200112,  # likely
    0.204506,  # likely_first
    0.021655,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.32773,  # ours_answer
    0.177237,  # ours_suggest
    0.231419,  # ours_decline
    0.348803,  # matcher_second
    0.342848,  # matcher_third
    0.194649,  # matcher_score
    0.397263,  # matcher_ratio
    0.349148,  # share_3
    0.330924,  # share_5
    0.306813,  # share_10
    0.159425,  # closest
    0.175053,  # closest_behind
    0.401647,  # nearest_is
    0.366178,  # decline
    0.14918,  # decline_coverage
    0.142333,  # chat
    0.274451,  # share_5_answer
    0.13208,  # share_5_suggest
    0.198886,  # share_5_decline
    0.237606,  # ours_coverage
    0.134589,  # ours_lead
    0.292322,  # ours_repaired
    0.326846,  # as_written_share_5
    0.207602,  # as_written_closest
    0.401833,  # as_written_nearest_is
    0.160429,  # decline_named
    0.375195,  # likely
    0.40334,  # likely_first
    0.145555,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.217676,  # ours_answer
    0.111962,  # ours_suggest
    0.400754,  # ours_decline
    0.039169,  # matcher_second
    -0.01374,  # matcher_third
    0.190476,  # matcher_score
    0.222586,  # matcher_ratio
    -0.11323,  # share_3
    -0.022326,  # share_5
    0.634706,  # share_10
    -0.113451,  # closest
    0.695626,  # closest_behind
    -0.01469,  # nearest_is
    0.301869,  # decline
    -0.171372,  # decline_coverage
    -0.05796,  # chat
    -0.105058,  # share_5_answer
    0.020611,  # share_5_suggest
    0.094138,  # share_5_decline
    -0.172749,  # ours_coverage
    0.258124,  # ours_lead
    -0.110574,  # ours_repaired
    0.636818,  # as_written_share_5
    0.39524,  # as_written_closest
    0.122897,  # as_written_nearest_is
    0.016911,  # decline_named
    1.2739,  # likely
    -0.106676,  # likely_first
    -0.236894,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.644349
