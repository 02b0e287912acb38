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
tuning135_train, tuning136_train, tuning146_train, tuning147_train, tuning148_train,
tuning149_train, tuning150_train, tuning151_train, tuning152_train, tuning153_train,
tuning154_train, tuning155_train, tuning156_train, tuning157_train, tuning160_train,
tuning161_train, tuning164_train, tuning165_train, tuning166_train, tuning167_train,
tuning168_train, tuning169_train, tuning170_train, tuning171_train, tuning172_train,
tuning173_train, tuning174_train, tuning175_train, tuning176_train, tuning177_train,
tuning178_train, tuning179_train, tuning180_train, tuning181_train, tuning182_train,
tuning183_train, tuning184_train, tuning185_train, tuning188_train, tuning189_train,
tuning190_train, tuning191_train, tuning194_train, tuning195_train, tuning196_train,
tuning197_train, tuning200_train, tuning201_train, tuning202_train, tuning203_train,
tuning204_train, tuning205_train, tuning206_train, tuning207_train, tuning208_train,
tuning209_train, tuning212_train, tuning213_train, tuning214_train, tuning215_train,
tuning216_train, tuning217_train, tuning218_train, tuning219_train, tuning220_train,
tuning221_train, tuning223_train, tuning224_train, tuning225_train, tuning226_train,
tuning230_train, tuning231_train, tuning232_train, tuning233_train, tuning234_train,
tuning235_train.
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
    0.14485,  # ours_answer
    0.028361,  # ours_suggest
    0.054454,  # ours_decline
    0.161802,  # matcher_second
    0.157605,  # matcher_third
    0.137641,  # matcher_score
    0.32106,  # matcher_ratio
    0.216418,  # share_3
    0.215999,  # share_5
    0.21511,  # share_10
    0.158812,  # closest
    -0.206345,  # closest_behind
    0.21712,  # nearest_is
    0.164913,  # decline
    0.058937,  # decline_coverage
    0.014099,  # chat
    0.137201,  # share_5_answer
    0.025298,  # share_5_suggest
    0.0535,  # share_5_decline
    0.114836,  # ours_coverage
    0.047015,  # ours_lead
    0.087891,  # ours_repaired
    0.215946,  # as_written_share_5
    0.191411,  # as_written_closest
    0.217017,  # as_written_nearest_is
    0.030571,  # decline_named
    0.216822,  # likely
    0.220179,  # likely_first
    0.029189,  # ours_service
    0.0,  # decline_service
    -0.680132,  # linear
    0.221421,  # linear_first
    -0.799794,  # linear_lead
)
SCALE = (
    0.35195,  # ours_answer
    0.166002,  # ours_suggest
    0.226911,  # ours_decline
    0.368269,  # matcher_second
    0.36437,  # matcher_third
    0.211637,  # matcher_score
    0.401937,  # matcher_ratio
    0.360111,  # share_3
    0.343615,  # share_5
    0.322665,  # share_10
    0.173165,  # closest
    0.187542,  # closest_behind
    0.412285,  # nearest_is
    0.371102,  # decline
    0.154863,  # decline_coverage
    0.1179,  # chat
    0.29493,  # share_5_answer
    0.125234,  # share_5_suggest
    0.199332,  # share_5_decline
    0.255131,  # ours_coverage
    0.152387,  # ours_lead
    0.283137,  # ours_repaired
    0.340962,  # as_written_share_5
    0.205333,  # as_written_closest
    0.412214,  # as_written_nearest_is
    0.172151,  # decline_named
    0.388769,  # likely
    0.414368,  # likely_first
    0.168335,  # ours_service
    1.0,  # decline_service
    0.753559,  # linear
    0.415203,  # linear_first
    1.269677,  # linear_lead
)
WEIGHTS = (
    0.305488,  # ours_answer
    0.116005,  # ours_suggest
    0.160885,  # ours_decline
    0.178813,  # matcher_second
    0.092002,  # matcher_third
    0.194571,  # matcher_score
    -0.109716,  # matcher_ratio
    0.047503,  # share_3
    -0.122569,  # share_5
    -0.098454,  # share_10
    0.125853,  # closest
    0.265559,  # closest_behind
    -0.04789,  # nearest_is
    0.090062,  # decline
    -0.127522,  # decline_coverage
    -0.060091,  # chat
    -0.141398,  # share_5_answer
    0.00467,  # share_5_suggest
    -0.005011,  # share_5_decline
    -0.078683,  # ours_coverage
    0.114131,  # ours_lead
    -0.13255,  # ours_repaired
    0.557285,  # as_written_share_5
    0.242005,  # as_written_closest
    0.056868,  # as_written_nearest_is
    0.163449,  # decline_named
    0.512608,  # likely
    -0.041838,  # likely_first
    -0.126954,  # ours_service
    0.0,  # decline_service
    0.988743,  # linear
    0.138964,  # linear_first
    1.325398,  # linear_lead
)
BIAS = -2.364738
