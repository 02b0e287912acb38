"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:

tuning44_train, tuning45_train, tuning46_train, tuning47_train, tuning48_train, tuning49_train,
tuning50_train, tuning51_train, tuning57_train, tuning58_train, tuning59_train, tuning60_train,
tuning61_train, tuning62_train, tuning63_train, tuning64_train, tuning65_train, tuning66_train,
tuning74_train, tuning75_train, tuning76_train, tuning77_train, tuning78_train, tuning79_train,
tuning80_train, tuning81_train, tuning82_train, tuning83_train, tuning84_train, tuning85_train,
tuning86_train, tuning87_train, tuning88_train, tuning89_train, tuning90_train, tuning91_train,
tuning92_train, tuning94_train, tuning95_train, tuning96_train, tuning97_train, tuning98_train.
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
    0.114853,  # ours_answer
    0.027831,  # ours_suggest
    0.053781,  # ours_decline
    0.130602,  # matcher_second
    0.126155,  # matcher_third
    0.108833,  # matcher_score
    0.267687,  # matcher_ratio
    0.184263,  # share_3
    0.183815,  # share_5
    0.182603,  # share_10
    0.134836,  # closest
    -0.169741,  # closest_behind
    0.185071,  # nearest_is
    0.146902,  # decline
    0.050325,  # decline_coverage
    0.024782,  # chat
    0.107466,  # share_5_answer
    0.023799,  # share_5_suggest
    0.052551,  # share_5_decline
    0.094196,  # ours_coverage
    0.035294,  # ours_lead
    0.078128,  # ours_repaired
    0.184775,  # as_written_share_5
    0.189364,  # as_written_closest
    0.187089,  # as_written_nearest_is
    0.02524,  # decline_named
    0.18284,  # likely
    0.188395,  # likely_first
    0.020862,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.318844,  # ours_answer
    0.164487,  # ours_suggest
    0.225586,  # ours_decline
    0.336965,  # matcher_second
    0.332024,  # matcher_third
    0.191876,  # matcher_score
    0.388739,  # matcher_ratio
    0.32805,  # share_3
    0.307559,  # share_5
    0.282761,  # share_10
    0.14261,  # closest
    0.15625,  # closest_behind
    0.388355,  # nearest_is
    0.354008,  # decline
    0.14288,  # decline_coverage
    0.155459,  # chat
    0.25913,  # share_5_answer
    0.108679,  # share_5_suggest
    0.18586,  # share_5_decline
    0.231835,  # ours_coverage
    0.131965,  # ours_lead
    0.268372,  # ours_repaired
    0.306944,  # as_written_share_5
    0.196649,  # as_written_closest
    0.389983,  # as_written_nearest_is
    0.156854,  # decline_named
    0.35435,  # likely
    0.391028,  # likely_first
    0.142921,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.180797,  # ours_answer
    0.07967,  # ours_suggest
    0.411136,  # ours_decline
    0.023448,  # matcher_second
    -0.043476,  # matcher_third
    0.166875,  # matcher_score
    0.281249,  # matcher_ratio
    -0.078509,  # share_3
    -0.183403,  # share_5
    0.657739,  # share_10
    -0.163374,  # closest
    0.520363,  # closest_behind
    -0.125234,  # nearest_is
    0.294691,  # decline
    -0.166492,  # decline_coverage
    -0.059215,  # chat
    -0.215956,  # share_5_answer
    -0.007436,  # share_5_suggest
    0.001945,  # share_5_decline
    -0.182076,  # ours_coverage
    0.259635,  # ours_lead
    -0.04124,  # ours_repaired
    0.832603,  # as_written_share_5
    0.424488,  # as_written_closest
    0.244076,  # as_written_nearest_is
    0.002177,  # decline_named
    1.071884,  # likely
    0.013348,  # likely_first
    -0.24786,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.642759
