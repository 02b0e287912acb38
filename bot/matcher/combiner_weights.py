"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:

tuning44_train, tuning45_train, tuning46_train, tuning47_train, tuning48_train, tuning49_train,
tuning50_train, tuning51_train, tuning57_train, tuning58_train, tuning59_train, tuning60_train,
tuning61_train, tuning62_train, tuning63_train, tuning64_train, tuning65_train, tuning66_train,
tuning74_train, tuning75_train, tuning76_train, tuning77_train, tuning78_train, tuning79_train,
tuning80_train.
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
    0.104922,  # ours_answer
    0.028971,  # ours_suggest
    0.055817,  # ours_decline
    0.121849,  # matcher_second
    0.117599,  # matcher_third
    0.099804,  # matcher_score
    0.252915,  # matcher_ratio
    0.177002,  # share_3
    0.176359,  # share_5
    0.175324,  # share_10
    0.148965,  # closest
    -0.168353,  # closest_behind
    0.178822,  # nearest_is
    0.143997,  # decline
    0.046177,  # decline_coverage
    0.028523,  # chat
    0.097244,  # share_5_answer
    0.024995,  # share_5_suggest
    0.054121,  # share_5_decline
    0.086616,  # ours_coverage
    0.032446,  # ours_lead
    0.070022,  # ours_repaired
    0.177014,  # as_written_share_5
    0.19423,  # as_written_closest
    0.179344,  # as_written_nearest_is
    0.024609,  # decline_named
    0.175473,  # likely
    0.180872,  # likely_first
    0.019724,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.306453,  # ours_answer
    0.167725,  # ours_suggest
    0.229567,  # ours_decline
    0.327112,  # matcher_second
    0.322132,  # matcher_third
    0.185824,  # matcher_score
    0.384366,  # matcher_ratio
    0.316514,  # share_3
    0.294177,  # share_5
    0.264341,  # share_10
    0.146599,  # closest
    0.155214,  # closest_behind
    0.383203,  # nearest_is
    0.351087,  # decline
    0.135943,  # decline_coverage
    0.166463,  # chat
    0.241529,  # share_5_answer
    0.109651,  # share_5_suggest
    0.18513,  # share_5_decline
    0.222897,  # ours_coverage
    0.12814,  # ours_lead
    0.255185,  # ours_repaired
    0.290747,  # as_written_share_5
    0.192457,  # as_written_closest
    0.38364,  # as_written_nearest_is
    0.154929,  # decline_named
    0.345547,  # likely
    0.384912,  # likely_first
    0.139051,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.218428,  # ours_answer
    0.130299,  # ours_suggest
    0.412968,  # ours_decline
    0.043087,  # matcher_second
    -0.063445,  # matcher_third
    0.156438,  # matcher_score
    0.222096,  # matcher_ratio
    -0.120709,  # share_3
    -0.084779,  # share_5
    0.637772,  # share_10
    -0.18883,  # closest
    0.526397,  # closest_behind
    -0.013324,  # nearest_is
    0.12971,  # decline
    -0.100631,  # decline_coverage
    -0.069595,  # chat
    -0.175458,  # share_5_answer
    0.04794,  # share_5_suggest
    0.0658,  # share_5_decline
    -0.19706,  # ours_coverage
    0.246022,  # ours_lead
    -0.026393,  # ours_repaired
    0.624593,  # as_written_share_5
    0.422874,  # as_written_closest
    0.143695,  # as_written_nearest_is
    0.003478,  # decline_named
    1.049319,  # likely
    -0.095139,  # likely_first
    -0.246868,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.624249
