"""Written by scripts/train_combiner.py: do not edit by hand. Trained on:

tuning44_train, tuning45_train, tuning46_train, tuning47_train, tuning48_train, tuning49_train,
tuning50_train, tuning51_train, tuning57_train, tuning58_train, tuning59_train, tuning60_train,
tuning61_train, tuning62_train, tuning63_train, tuning64_train, tuning65_train, tuning66_train,
tuning74_train, tuning75_train, tuning76_train, tuning77_train, tuning78_train, tuning79_train,
tuning80_train, tuning81_train, tuning82_train, tuning83_train, tuning84_train, tuning85_train,
tuning86_train, tuning87_train, tuning88_train, tuning89_train, tuning90_train, tuning91_train,
tuning92_train.
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
    0.113169,  # ours_answer
    0.028568,  # ours_suggest
    0.056296,  # ours_decline
    0.129092,  # matcher_second
    0.124659,  # matcher_third
    0.106601,  # matcher_score
    0.264758,  # matcher_ratio
    0.186068,  # share_3
    0.185345,  # share_5
    0.18408,  # share_10
    0.150754,  # closest
    -0.175822,  # closest_behind
    0.186857,  # nearest_is
    0.149239,  # decline
    0.048851,  # decline_coverage
    0.02479,  # chat
    0.105758,  # share_5_answer
    0.024643,  # share_5_suggest
    0.054945,  # share_5_decline
    0.09205,  # ours_coverage
    0.035264,  # ours_lead
    0.072377,  # ours_repaired
    0.186139,  # as_written_share_5
    0.193101,  # as_written_closest
    0.187985,  # as_written_nearest_is
    0.025735,  # decline_named
    0.18509,  # likely
    0.189953,  # likely_first
    0.020881,  # ours_service
    0.0,  # decline_service
)
SCALE = (
    0.316799,  # ours_answer
    0.166588,  # ours_suggest
    0.230492,  # ours_decline
    0.335302,  # matcher_second
    0.330332,  # matcher_third
    0.191026,  # matcher_score
    0.388378,  # matcher_ratio
    0.328576,  # share_3
    0.307442,  # share_5
    0.280744,  # share_10
    0.152901,  # closest
    0.162232,  # closest_behind
    0.389797,  # nearest_is
    0.356324,  # decline
    0.140625,  # decline_coverage
    0.155485,  # chat
    0.256673,  # share_5_answer
    0.110762,  # share_5_suggest
    0.189507,  # share_5_decline
    0.22971,  # ours_coverage
    0.132662,  # ours_lead
    0.259111,  # ours_repaired
    0.305195,  # as_written_share_5
    0.196061,  # as_written_closest
    0.3907,  # as_written_nearest_is
    0.158342,  # decline_named
    0.357247,  # likely
    0.392264,  # likely_first
    0.142987,  # ours_service
    1.0,  # decline_service
)
WEIGHTS = (
    0.235149,  # ours_answer
    0.144809,  # ours_suggest
    0.439137,  # ours_decline
    0.017102,  # matcher_second
    -0.082512,  # matcher_third
    0.198624,  # matcher_score
    0.223094,  # matcher_ratio
    -0.008281,  # share_3
    -0.159374,  # share_5
    0.665211,  # share_10
    -0.140226,  # closest
    0.56643,  # closest_behind
    -0.064384,  # nearest_is
    0.105805,  # decline
    -0.077611,  # decline_coverage
    -0.059796,  # chat
    -0.212282,  # share_5_answer
    0.03164,  # share_5_suggest
    0.010472,  # share_5_decline
    -0.227406,  # ours_coverage
    0.262441,  # ours_lead
    -0.040086,  # ours_repaired
    0.703364,  # as_written_share_5
    0.395082,  # as_written_closest
    0.167937,  # as_written_nearest_is
    0.030858,  # decline_named
    1.039663,  # likely
    -0.0239,  # likely_first
    -0.251848,  # ours_service
    0.0,  # decline_service
)
BIAS = -2.616886
