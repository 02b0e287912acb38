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
tuning278_train, tuning279_train, tuning280_train, tuning281_train, tuning282_train.
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
    0.146174,  # ours_answer
    0.028294,  # ours_suggest
    0.05485,  # ours_decline
    0.162715,  # matcher_second
    0.158668,  # matcher_third
    0.138468,  # matcher_score
    0.32289,  # matcher_ratio
    0.21708,  # share_3
    0.216681,  # share_5
    0.215826,  # share_10
    0.161928,  # closest
    -0.208455,  # closest_behind
    0.217907,  # nearest_is
    0.165902,  # decline
    0.059108,  # decline_coverage
    0.015625,  # chat
    0.137807,  # share_5_answer
    0.025101,  # share_5_suggest
    0.053773,  # share_5_decline
    0.11555,  # ours_coverage
    0.047423,  # ours_lead
    0.091131,  # ours_repaired
    0.216593,  # as_written_share_5
    0.19107,  # as_written_closest
    0.217889,  # as_written_nearest_is
    0.03183,  # decline_named
    0.217971,  # likely
    0.221213,  # likely_first
    0.029271,  # ours_service
    0.0,  # decline_service
    -0.681249,  # linear
    0.223025,  # linear_first
    -0.810867,  # linear_lead
)
SCALE = (
    0.353281,  # ours_answer
    0.16581,  # ours_suggest
    0.227688,  # ours_decline
    0.369105,  # matcher_second
    0.365366,  # matcher_third
    0.211887,  # matcher_score
    0.402289,  # matcher_ratio
    0.359534,  # share_3
    0.342879,  # share_5
    0.322087,  # share_10
    0.176012,  # closest
    0.19063,  # closest_behind
    0.412824,  # nearest_is
    0.371993,  # decline
    0.155043,  # decline_coverage
    0.124021,  # chat
    0.295836,  # share_5_answer
    0.12465,  # share_5_suggest
    0.197352,  # share_5_decline
    0.255831,  # ours_coverage
    0.152937,  # ours_lead
    0.287795,  # ours_repaired
    0.340441,  # as_written_share_5
    0.204861,  # as_written_closest
    0.412811,  # as_written_nearest_is
    0.175546,  # decline_named
    0.389291,  # likely
    0.415064,  # likely_first
    0.168565,  # ours_service
    1.0,  # decline_service
    0.763161,  # linear
    0.416275,  # linear_first
    1.286646,  # linear_lead
)
WEIGHTS = (
    0.29456,  # ours_answer
    0.124655,  # ours_suggest
    0.135176,  # ours_decline
    0.215037,  # matcher_second
    0.122323,  # matcher_third
    0.197784,  # matcher_score
    -0.153137,  # matcher_ratio
    -0.024522,  # share_3
    -0.10859,  # share_5
    -0.114295,  # share_10
    0.159502,  # closest
    0.261411,  # closest_behind
    -0.065294,  # nearest_is
    0.18891,  # decline
    -0.134677,  # decline_coverage
    -0.070019,  # chat
    -0.114002,  # share_5_answer
    0.021714,  # share_5_suggest
    -0.031487,  # share_5_decline
    -0.022392,  # ours_coverage
    0.028983,  # ours_lead
    -0.113217,  # ours_repaired
    0.528192,  # as_written_share_5
    0.22879,  # as_written_closest
    0.091561,  # as_written_nearest_is
    0.185144,  # decline_named
    0.464007,  # likely
    -0.053992,  # likely_first
    -0.072846,  # ours_service
    0.0,  # decline_service
    1.049006,  # linear
    0.162648,  # linear_first
    1.278835,  # linear_lead
)
BIAS = -2.249682
