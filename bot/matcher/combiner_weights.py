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
tuning135_train, tuning136_train.
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
    0.124747,  # ours_answer
    0.033241,  # ours_suggest
    0.057333,  # ours_decline
    0.144644,  # matcher_second
    0.13885,  # matcher_third
    0.119081,  # matcher_score
    0.298137,  # matcher_ratio
    0.204772,  # share_3
    0.204302,  # share_5
    0.203129,  # share_10
    0.149912,  # closest
    -0.201229,  # closest_behind
    0.205945,  # nearest_is
    0.162103,  # decline
    0.056387,  # decline_coverage
    0.019737,  # chat
    0.118134,  # share_5_answer
    0.029933,  # share_5_suggest
    0.056235,  # share_5_decline
    0.10318,  # ours_coverage
    0.037725,  # ours_lead
    0.097392,  # ours_repaired
    0.204373,  # as_written_share_5
    0.199289,  # as_written_closest
    0.206251,  # as_written_nearest_is
    0.026462,  # decline_named
    0.20425,  # likely
    0.208249,  # likely_first
    0.021415,  # ours_service
    0.0,  # decline_service
    -0.700253,  # linear
    0.208582,  # linear_first
    -0.760233,  # linear_lead
)
SCALE = (
    0.330432,  # ours_answer
    0.179265,  # ours_suggest
    0.232477,  # ours_decline
    0.351741,  # matcher_second
    0.34579,  # matcher_third
    0.195192,  # matcher_score
    0.399257,  # matcher_ratio
    0.353032,  # share_3
    0.335456,  # share_5
    0.312179,  # share_10
    0.165306,  # closest
    0.180455,  # closest_behind
    0.40439,  # nearest_is
    0.368545,  # decline
    0.150618,  # decline_coverage
    0.139095,  # chat
    0.278143,  # share_5_answer
    0.135362,  # share_5_suggest
    0.20142,  # share_5_decline
    0.239406,  # ours_coverage
    0.134345,  # ours_lead
    0.296491,  # ours_repaired
    0.332,  # as_written_share_5
    0.211246,  # as_written_closest
    0.404613,  # as_written_nearest_is
    0.160506,  # decline_named
    0.379063,  # likely
    0.406056,  # likely_first
    0.144763,  # ours_service
    1.0,  # decline_service
    0.693149,  # linear
    0.406295,  # linear_first
    1.158142,  # linear_lead
)
WEIGHTS = (
    0.197144,  # ours_answer
    0.100184,  # ours_suggest
    0.155632,  # ours_decline
    0.097708,  # matcher_second
    0.032291,  # matcher_third
    0.082444,  # matcher_score
    0.055662,  # matcher_ratio
    -0.079431,  # share_3
    -0.017953,  # share_5
    -0.076245,  # share_10
    -0.086769,  # closest
    0.433107,  # closest_behind
    -0.010861,  # nearest_is
    0.035827,  # decline
    -0.12115,  # decline_coverage
    -0.051112,  # chat
    -0.120107,  # share_5_answer
    0.008068,  # share_5_suggest
    0.130536,  # share_5_decline
    -0.057245,  # ours_coverage
    0.12461,  # ours_lead
    -0.133067,  # ours_repaired
    0.55546,  # as_written_share_5
    0.297024,  # as_written_closest
    0.11884,  # as_written_nearest_is
    0.055067,  # decline_named
    0.696092,  # likely
    -0.020691,  # likely_first
    -0.163346,  # ours_service
    0.0,  # decline_service
    0.702199,  # linear
    0.135519,  # linear_first
    1.547003,  # linear_lead
)
BIAS = -2.941305
