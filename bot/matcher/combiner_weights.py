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
tuning262_train, tuning265_train, tuning266_train, tuning267_train, tuning268_train.
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
    0.145788,  # ours_answer
    0.028315,  # ours_suggest
    0.054721,  # ours_decline
    0.162522,  # matcher_second
    0.158405,  # matcher_third
    0.138099,  # matcher_score
    0.322342,  # matcher_ratio
    0.216945,  # share_3
    0.216541,  # share_5
    0.215696,  # share_10
    0.159834,  # closest
    -0.206006,  # closest_behind
    0.217679,  # nearest_is
    0.165811,  # decline
    0.058988,  # decline_coverage
    0.01502,  # chat
    0.137687,  # share_5_answer
    0.025159,  # share_5_suggest
    0.053696,  # share_5_decline
    0.115143,  # ours_coverage
    0.047357,  # ours_lead
    0.091497,  # ours_repaired
    0.216474,  # as_written_share_5
    0.189829,  # as_written_closest
    0.217608,  # as_written_nearest_is
    0.031604,  # decline_named
    0.217725,  # likely
    0.220891,  # likely_first
    0.029429,  # ours_service
    0.0,  # decline_service
    -0.681335,  # linear
    0.222675,  # linear_first
    -0.807241,  # linear_lead
)
SCALE = (
    0.352894,  # ours_answer
    0.165871,  # ours_suggest
    0.227435,  # ours_decline
    0.368929,  # matcher_second
    0.365121,  # matcher_third
    0.211842,  # matcher_score
    0.402196,  # matcher_ratio
    0.359764,  # share_3
    0.343278,  # share_5
    0.322417,  # share_10
    0.174051,  # closest
    0.188295,  # closest_behind
    0.412668,  # nearest_is
    0.371911,  # decline
    0.154777,  # decline_coverage
    0.121634,  # chat
    0.295594,  # share_5_answer
    0.124676,  # share_5_suggest
    0.198334,  # share_5_decline
    0.255431,  # ours_coverage
    0.153099,  # ours_lead
    0.288315,  # ours_repaired
    0.340737,  # as_written_share_5
    0.203915,  # as_written_closest
    0.412619,  # as_written_nearest_is
    0.174944,  # decline_named
    0.389133,  # likely
    0.414847,  # likely_first
    0.169005,  # ours_service
    1.0,  # decline_service
    0.760477,  # linear
    0.416042,  # linear_first
    1.280795,  # linear_lead
)
WEIGHTS = (
    0.312825,  # ours_answer
    0.125131,  # ours_suggest
    0.140995,  # ours_decline
    0.202924,  # matcher_second
    0.115354,  # matcher_third
    0.181804,  # matcher_score
    -0.148128,  # matcher_ratio
    -0.007872,  # share_3
    -0.111541,  # share_5
    -0.112344,  # share_10
    0.141082,  # closest
    0.277295,  # closest_behind
    -0.044703,  # nearest_is
    0.14407,  # decline
    -0.129377,  # decline_coverage
    -0.072274,  # chat
    -0.115066,  # share_5_answer
    0.015125,  # share_5_suggest
    -0.031072,  # share_5_decline
    -0.055457,  # ours_coverage
    0.058601,  # ours_lead
    -0.113116,  # ours_repaired
    0.527188,  # as_written_share_5
    0.230466,  # as_written_closest
    0.081365,  # as_written_nearest_is
    0.187508,  # decline_named
    0.453786,  # likely
    -0.045083,  # likely_first
    -0.076353,  # ours_service
    0.0,  # decline_service
    1.052907,  # linear
    0.156785,  # linear_first
    1.291327,  # linear_lead
)
BIAS = -2.270707
