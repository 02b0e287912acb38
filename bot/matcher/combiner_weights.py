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
tuning290_train, tuning293_train, tuning294_train, tuning295_train, tuning296_train,
tuning297_train, tuning298_train.
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
    0.151463,  # ours_answer
    0.029223,  # ours_suggest
    0.056864,  # ours_decline
    0.168571,  # matcher_second
    0.16438,  # matcher_third
    0.143595,  # matcher_score
    0.334411,  # matcher_ratio
    0.224065,  # share_3
    0.223597,  # share_5
    0.222694,  # share_10
    0.166431,  # closest
    -0.211244,  # closest_behind
    0.224898,  # nearest_is
    0.171571,  # decline
    0.061077,  # decline_coverage
    0.014126,  # chat
    0.141891,  # share_5_answer
    0.025802,  # share_5_suggest
    0.055904,  # share_5_decline
    0.119754,  # ours_coverage
    0.049139,  # ours_lead
    0.093322,  # ours_repaired
    0.223448,  # as_written_share_5
    0.195448,  # as_written_closest
    0.224892,  # as_written_nearest_is
    0.033433,  # decline_named
    0.225599,  # likely
    0.228973,  # likely_first
    0.030201,  # ours_service
    0.0,  # decline_service
    -0.664839,  # linear
    0.230519,  # linear_first
    -0.793104,  # linear_lead
)
SCALE = (
    0.3585,  # ours_answer
    0.168432,  # ours_suggest
    0.231583,  # ours_decline
    0.374372,  # matcher_second
    0.37062,  # matcher_third
    0.214022,  # matcher_score
    0.40461,  # matcher_ratio
    0.36559,  # share_3
    0.349565,  # share_5
    0.329894,  # share_10
    0.182169,  # closest
    0.19426,  # closest_behind
    0.417515,  # nearest_is
    0.377007,  # decline
    0.157253,  # decline_coverage
    0.11801,  # chat
    0.299053,  # share_5_answer
    0.127139,  # share_5_suggest
    0.206567,  # share_5_decline
    0.259567,  # ours_coverage
    0.155244,  # ours_lead
    0.290883,  # ours_repaired
    0.347271,  # as_written_share_5
    0.210147,  # as_written_closest
    0.417511,  # as_written_nearest_is
    0.179765,  # decline_named
    0.394999,  # likely
    0.420172,  # likely_first
    0.17114,  # ours_service
    1.0,  # decline_service
    0.786962,  # linear
    0.421165,  # linear_first
    1.320239,  # linear_lead
)
WEIGHTS = (
    0.272046,  # ours_answer
    0.119523,  # ours_suggest
    0.119181,  # ours_decline
    0.208053,  # matcher_second
    0.112411,  # matcher_third
    0.209441,  # matcher_score
    -0.16438,  # matcher_ratio
    -0.013984,  # share_3
    -0.085859,  # share_5
    -0.085296,  # share_10
    0.152751,  # closest
    0.24267,  # closest_behind
    -0.074134,  # nearest_is
    0.027681,  # decline
    -0.151634,  # decline_coverage
    -0.072409,  # chat
    -0.127199,  # share_5_answer
    0.0084,  # share_5_suggest
    0.033684,  # share_5_decline
    -0.024996,  # ours_coverage
    0.034672,  # ours_lead
    -0.100756,  # ours_repaired
    0.525687,  # as_written_share_5
    0.215342,  # as_written_closest
    0.091238,  # as_written_nearest_is
    0.106429,  # decline_named
    0.475596,  # likely
    -0.038036,  # likely_first
    -0.077241,  # ours_service
    0.0,  # decline_service
    1.073191,  # linear
    0.1452,  # linear_first
    1.314039,  # linear_lead
)
BIAS = -2.166516
