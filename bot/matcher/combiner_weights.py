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
tuning173_train, tuning174_train, tuning175_train, tuning176_train, tuning177_train.
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
    0.134419,  # ours_answer
    0.031323,  # ours_suggest
    0.056553,  # ours_decline
    0.153118,  # matcher_second
    0.148041,  # matcher_third
    0.127657,  # matcher_score
    0.309816,  # matcher_ratio
    0.210785,  # share_3
    0.210364,  # share_5
    0.209384,  # share_10
    0.154231,  # closest
    -0.202627,  # closest_behind
    0.211878,  # nearest_is
    0.164695,  # decline
    0.057944,  # decline_coverage
    0.016379,  # chat
    0.126892,  # share_5_answer
    0.02796,  # share_5_suggest
    0.055512,  # share_5_decline
    0.108884,  # ours_coverage
    0.042067,  # ours_lead
    0.095049,  # ours_repaired
    0.210457,  # as_written_share_5
    0.195658,  # as_written_closest
    0.211878,  # as_written_nearest_is
    0.029004,  # decline_named
    0.210955,  # likely
    0.214656,  # likely_first
    0.024752,  # ours_service
    0.0,  # decline_service
    -0.68893,  # linear
    0.215419,  # linear_first
    -0.771727,  # linear_lead
)
SCALE = (
    0.341102,  # ours_answer
    0.17419,  # ours_suggest
    0.230987,  # ours_decline
    0.360101,  # matcher_second
    0.355141,  # matcher_third
    0.202721,  # matcher_score
    0.400843,  # matcher_ratio
    0.356804,  # share_3
    0.339519,  # share_5
    0.317679,  # share_10
    0.169055,  # closest
    0.183391,  # closest_behind
    0.408639,  # nearest_is
    0.370905,  # decline
    0.152989,  # decline_coverage
    0.126928,  # chat
    0.285027,  # share_5_answer
    0.131333,  # share_5_suggest
    0.202664,  # share_5_decline
    0.246882,  # ours_coverage
    0.142895,  # ours_lead
    0.293282,  # ours_repaired
    0.336833,  # as_written_share_5
    0.209468,  # as_written_closest
    0.408639,  # as_written_nearest_is
    0.167817,  # decline_named
    0.384415,  # likely
    0.410583,  # likely_first
    0.155367,  # ours_service
    1.0,  # decline_service
    0.721083,  # linear
    0.411112,  # linear_first
    1.20517,  # linear_lead
)
WEIGHTS = (
    0.257267,  # ours_answer
    0.110968,  # ours_suggest
    0.154562,  # ours_decline
    0.147077,  # matcher_second
    0.060077,  # matcher_third
    0.169684,  # matcher_score
    -0.077212,  # matcher_ratio
    0.03762,  # share_3
    -0.088326,  # share_5
    -0.098403,  # share_10
    0.01746,  # closest
    0.319048,  # closest_behind
    -0.008584,  # nearest_is
    0.005684,  # decline
    -0.116434,  # decline_coverage
    -0.058029,  # chat
    -0.146278,  # share_5_answer
    -6.2e-05,  # share_5_suggest
    0.057796,  # share_5_decline
    -0.050435,  # ours_coverage
    0.074317,  # ours_lead
    -0.130137,  # ours_repaired
    0.548444,  # as_written_share_5
    0.249819,  # as_written_closest
    0.07976,  # as_written_nearest_is
    0.077642,  # decline_named
    0.630606,  # likely
    -0.041058,  # likely_first
    -0.136668,  # ours_service
    0.0,  # decline_service
    0.864532,  # linear
    0.145818,  # linear_first
    1.397589,  # linear_lead
)
BIAS = -2.606953
