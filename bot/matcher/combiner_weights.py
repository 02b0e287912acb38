"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:

tuning44_train, tuning45_train, tuning46_train, tuning47_train, tuning48_train, tuning49_train,
tuning50_train, tuning51_train, tuning57_train, tuning58_train, tuning59_train, tuning60_train,
tuning61_train, tuning62_train, tuning63_train, tuning64_train, tuning65_train, tuning66_train.
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
)
MEAN = (
    0.110306,  # ours_answer
    0.033027,  # ours_suggest
    0.069186,  # ours_decline
    0.131127,  # matcher_second
    0.126754,  # matcher_third
    0.096709,  # matcher_score
    0.290065,  # matcher_ratio
    0.198904,  # share_3
    0.198228,  # share_5
    0.196773,  # share_10
    0.155753,  # closest
    -0.145928,  # closest_behind
    0.199987,  # nearest_is
    0.180602,  # decline
    0.058976,  # decline_coverage
    0.034201,  # chat
    0.102727,  # share_5_answer
    0.028158,  # share_5_suggest
    0.067343,  # share_5_decline
    0.08453,  # ours_coverage
    0.019976,  # ours_lead
    0.068142,  # ours_repaired
)
SCALE = (
    0.313271,  # ours_answer
    0.178706,  # ours_suggest
    0.25377,  # ours_decline
    0.337539,  # matcher_second
    0.332697,  # matcher_third
    0.146251,  # matcher_score
    0.398223,  # matcher_ratio
    0.327605,  # share_3
    0.303115,  # share_5
    0.269979,  # share_10
    0.136417,  # closest
    0.145159,  # closest_behind
    0.39999,  # nearest_is
    0.384688,  # decline
    0.151319,  # decline_coverage
    0.181746,  # chat
    0.245355,  # share_5_answer
    0.118203,  # share_5_suggest
    0.202785,  # share_5_decline
    0.20016,  # ours_coverage
    0.065481,  # ours_lead
    0.251989,  # ours_repaired
)
WEIGHTS = (
    0.083187,  # ours_answer
    0.089346,  # ours_suggest
    0.403199,  # ours_decline
    -0.128216,  # matcher_second
    -0.211173,  # matcher_third
    0.013119,  # matcher_score
    0.590783,  # matcher_ratio
    0.099958,  # share_3
    0.140108,  # share_5
    1.421592,  # share_10
    0.124242,  # closest
    0.513846,  # closest_behind
    0.083713,  # nearest_is
    0.165391,  # decline
    -0.221181,  # decline_coverage
    -0.119633,  # chat
    -0.046073,  # share_5_answer
    0.08864,  # share_5_suggest
    0.213506,  # share_5_decline
    -0.245833,  # ours_coverage
    0.285276,  # ours_lead
    -0.051323,  # ours_repaired
)
BIAS = -2.31209
