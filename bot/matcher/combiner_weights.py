"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:

tuning44_train, tuning45_train, tuning46_train, tuning47_train, tuning48_train, tuning49_train,
tuning50_train, tuning51_train, tuning57_train, tuning58_train, tuning59_train, tuning60_train,
tuning61_train, tuning62_train, tuning63_train, tuning64_train, tuning65_train, tuning66_train,
tuning74_train, tuning75_train, tuning76_train, tuning77_train, tuning78_train, tuning79_train,
tuning80_train, tuning81_train, tuning82_train, tuning83_train, tuning84_train, tuning85_train,
tuning86_train, tuning87_train, tuning88_train, tuning89_train, tuning90_train, tuning91_train,
tuning92_train, tuning94_train, tuning95_train, tuning96_train, tuning97_train, tuning98_train,
tuning99_train, tuning100_train, tuning101_train, tuning102_train, tuning103_train,
tuning104_train.
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
    0.118083,  # ours_answer
    0.028088,  # ours_suggest
    0.054095,  # ours_decline
    0.133911,  # matcher_second
    0.129118,  # matcher_third
    0.111439,  # matcher_score
    0.273806,  # matcher_ratio
    0.188293,  # share_3
    0.187878,  # share_5
    0.186748,  # share_10
    0.135832,  # closest
    -0.17111,  # closest_behind
    0.189026,  # nearest_is
    0.149964,  # decline
    0.051692,  # decline_coverage
    0.0236,  # chat
    0.110813,  # share_5_answer
    0.024178,  # share_5_suggest
    0.052887,  # share_5_decline
    0.096269,  # ours_coverage
    0.036298,  # ours_lead
    0.079878,  # ours_repaired
    0.188935,  # as_written_share_5
    0.188052,  # as_written_closest
    0.191025,  # as_written_nearest_is
    0.025599,  # decline_named
    0.187012,  # likely
    0.192453,  # likely_first
    0.021397,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.322706,  # ours_answer
    0.165223,  # ours_suggest
    0.226205,  # ours_decline
    0.340557,  # matcher_second
    0.33533,  # matcher_third
    0.19335,  # matcher_score
    0.390782,  # matcher_ratio
    0.332656,  # share_3
    0.312898,  # share_5
    0.288714,  # share_10
    0.144512,  # closest
    0.157581,  # closest_behind
    0.391529,  # nearest_is
    0.357036,  # decline
    0.144927,  # decline_coverage
    0.1518,  # chat
    0.264365,  # share_5_answer
    0.111091,  # share_5_suggest
    0.187916,  # share_5_decline
    0.233998,  # ours_coverage
    0.133634,  # ours_lead
    0.271104,  # ours_repaired
    0.313541,  # as_written_share_5
    0.198043,  # as_written_closest
    0.393109,  # as_written_nearest_is
    0.157936,  # decline_named
    0.359212,  # likely
    0.394227,  # likely_first
    0.144705,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.214113,  # ours_answer
    0.081028,  # ours_suggest
    0.403038,  # ours_decline
    0.045711,  # matcher_second
    -0.027283,  # matcher_third
    0.171329,  # matcher_score
    0.263525,  # matcher_ratio
    -0.112561,  # share_3
    -0.153702,  # share_5
    0.626117,  # share_10
    -0.175457,  # closest
    0.582015,  # closest_behind
    -0.159982,  # nearest_is
    0.322674,  # decline
    -0.165991,  # decline_coverage
    -0.057102,  # chat
    -0.196061,  # share_5_answer
    -0.000437,  # share_5_suggest
    0.020153,  # share_5_decline
    -0.202246,  # ours_coverage
    0.257224,  # ours_lead
    -0.045891,  # ours_repaired
    0.846536,  # as_written_share_5
    0.461939,  # as_written_closest
    0.263532,  # as_written_nearest_is
    0.012782,  # decline_named
    1.155225,  # likely
    -0.017938,  # likely_first
    -0.237614,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.662038
