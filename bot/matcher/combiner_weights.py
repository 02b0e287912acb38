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
tuning235_train, tuning238_train, tuning239_train, tuning240_train, tuning241_train,
tuning242_train, tuning243_train, tuning244_train, tuning245_train, tuning246_train,
tuning247_train, tuning250_train, tuning251_train, tuning252_train, tuning255_train,
tuning256_train, tuning257_train, tuning258_train, tuning260_train, tuning261_train,
tuning262_train, tuning265_train, tuning266_train, tuning267_train, tuning268_train,
tuning273_train, tuning274_train, tuning275_train, tuning276_train, tuning277_train,
tuning278_train, tuning279_train, tuning280_train, tuning281_train, tuning282_train,
tuning285_train, tuning286_train, tuning287_train, tuning288_train, tuning289_train,
tuning290_train.
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
    0.150985,  # ours_answer
    0.029057,  # ours_suggest
    0.056737,  # ours_decline
    0.167944,  # matcher_second
    0.163795,  # matcher_third
    0.142973,  # matcher_score
    0.333165,  # matcher_ratio
    0.223673,  # share_3
    0.223176,  # share_5
    0.222271,  # share_10
    0.165453,  # closest
    -0.210102,  # closest_behind
    0.224399,  # nearest_is
    0.171211,  # decline
    0.060932,  # decline_coverage
    0.013987,  # chat
    0.141682,  # share_5_answer
    0.025712,  # share_5_suggest
    0.055783,  # share_5_decline
    0.119274,  # ours_coverage
    0.048971,  # ours_lead
    0.093209,  # ours_repaired
    0.223044,  # as_written_share_5
    0.194646,  # as_written_closest
    0.224349,  # as_written_nearest_is
    0.033243,  # decline_named
    0.225063,  # likely
    0.228398,  # likely_first
    0.030164,  # ours_service
    0.0,  # decline_service
    -0.665577,  # linear
    0.229925,  # linear_first
    -0.792266,  # linear_lead
)
SCALE = (
    0.358034,  # ours_answer
    0.167966,  # ours_suggest
    0.231339,  # ours_decline
    0.373817,  # matcher_second
    0.37009,  # matcher_third
    0.213779,  # matcher_score
    0.404378,  # matcher_ratio
    0.365338,  # share_3
    0.349353,  # share_5
    0.329514,  # share_10
    0.181017,  # closest
    0.193183,  # closest_behind
    0.417186,  # nearest_is
    0.376693,  # decline
    0.157048,  # decline_coverage
    0.117437,  # chat
    0.298903,  # share_5_answer
    0.126805,  # share_5_suggest
    0.206364,  # share_5_decline
    0.259095,  # ours_coverage
    0.15509,  # ours_lead
    0.290725,  # ours_repaired
    0.347032,  # as_written_share_5
    0.20915,  # as_written_closest
    0.417153,  # as_written_nearest_is
    0.179272,  # decline_named
    0.394746,  # likely
    0.419801,  # likely_first
    0.17104,  # ours_service
    1.0,  # decline_service
    0.784936,  # linear
    0.420785,  # linear_first
    1.317038,  # linear_lead
)
WEIGHTS = (
    0.280668,  # ours_answer
    0.119843,  # ours_suggest
    0.125783,  # ours_decline
    0.21134,  # matcher_second
    0.111254,  # matcher_third
    0.193994,  # matcher_score
    -0.162092,  # matcher_ratio
    -0.024808,  # share_3
    -0.098145,  # share_5
    -0.066621,  # share_10
    0.164679,  # closest
    0.239347,  # closest_behind
    -0.070516,  # nearest_is
    0.023498,  # decline
    -0.156604,  # decline_coverage
    -0.07366,  # chat
    -0.140041,  # share_5_answer
    0.011419,  # share_5_suggest
    0.029673,  # share_5_decline
    -0.026039,  # ours_coverage
    0.04701,  # ours_lead
    -0.101294,  # ours_repaired
    0.538846,  # as_written_share_5
    0.208895,  # as_written_closest
    0.086434,  # as_written_nearest_is
    0.11104,  # decline_named
    0.463512,  # likely
    -0.023884,  # likely_first
    -0.081259,  # ours_service
    0.0,  # decline_service
    1.071976,  # linear
    0.145959,  # linear_first
    1.331671,  # linear_lead
)
BIAS = -2.185096
