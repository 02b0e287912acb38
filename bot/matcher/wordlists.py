"""Word lists the matcher compares questions against (nobody reads them as sentences): function
words, question scaffolding, courtesy clauses and the words that ask for a number."""

from __future__ import annotations

import re

#: Function words and question scaffolding: they say how something is asked, not what about
#: (dialect's too: 啥时候, 木有, 寻思 in Hebei; 何解, 么得 in Hunan).
STOPWORDS = frozenset(
    """
    的 了 吗 呢 吧 啊 呀 哦 嘛 么 是 在 有 和 与 及 或 我 你 您 他 她 它 我们 你们 他们 咱 这 那 这个 那个
    哪 哪个 哪些 哪里 哪儿 什么 怎么 怎样 怎么样 如何 为什么 谁 几 多少 吗 请问 请 想 要 想要 能 能不能 可以
    可不可以 会 会不会 该 应该 需要 一下 一个 个 些 都 也 还 就 才 又 再 很 太 最 给 把 被 让 对 向 从 到 跟
    去 来 找 问 问下 问问 下 上 里 中 后 前 时候 现在 今天 明天 吗 没 没有 不 是不是 有没有 得 地 着 过 啥 咋
    干啥 么样 知道 告诉 帮 帮我 一般 平时 具体 相关 方面 情况 问题 事 事情 东西 办 管 负责 归 该找 找谁
    要是 如果 假如 俺 恁 么子 搞么子 做么子 干么子 冇得 晓得 中不中
    啥时候 这会儿 木有 整啥 撒子 恁些 老些 老鼻子 夜儿 夜儿个 黑价 寻思 何解 么得
    敝人 冒昧 请教 烦请 可否 是否 否 何 何处 何时 何事 何种 之 于 其 此 系 欲 拟 吾 彼 乎 兹 尚 须 应于
    听说 听人说 据说 听讲 有个 有一个 有点 有些
    """.split()
)

#: Query words that ask for a quantity or a date: the answer passage should contain one.
ASKS_NUMBER = re.compile(
    r"多少|几[次个天年月分元万]|多久|多长|频率|标准|比例|金额|几号|什么时候|何时|截止|期限|哪天"
)

#: English question scaffolding, dropped once a bilingual term has been found.
ENGLISH_STOPWORDS = frozenset(
    """
    what whats what's how can could i i'm the a an of to for is are do does you your me my who where when
    there it s please need want from about in on at get today happened this that with by we our us
    would like know tell which will be
    or and as if so but not no any some has have had was were been its they them their he she his
    her him into than then also just only very much many more most such same too did done may might
    must shall should all one near pls plz
    kind love take right anything something cool around here case nearest there's let lets
    hi hello thanks thank still really maybe
    """.split()
)

#: The resident's age ("今年七十有二", "今年82岁", "今年八十一了"), not "今年有没有培训" or "今年十月".
AGE = (
    r"今年(都|已经|已|才|刚|整|快|满)?([0-9]{2,3}|[一二三四五六七八九十]{2,4})"
    r"(岁|周岁|了|有|(?![0-9一二三四五六七八九十年月号日]))"
)

#: What the resident does for a living, as a whole clause ("我开修车铺的", "俺家做豆腐生意的"):
#: who asks; its trade (修车) names no office's business.
TRADE_INTRO = (
    r"^(我|俺|我们|俺们|我家|俺家)(开|做|干|搞|经营)了?(个|一个|一家|家)?[^ ]{0,6}"
    r"(铺|店|馆|厂|摊|坊|生意|买卖|超市|门市|诊所|小卖部|豆腐|木工|瓦工|电工|运输|养殖)(子|儿)?的$"
)

#: Clauses that introduce the resident or are courtesy: they say who asks, not what about.
COURTESY_CLAUSE = re.compile(
    r"^(您好|你好|同志你?好|领导好?|老师好?|打扰了?|不好意思|麻烦了?|谢谢|感谢|多谢|请问|麻烦问一下|问一下|"
    r"打扰一下|辛苦了?|劳驾|哈|嗯|哦)+(啊|呀|哈)?$"
    r"|^(我|俺|本人|我们|俺们)(是|叫|姓|家住|住在|今年|在)(?!.*(看见|看到|瞧见|发现|听说|听见|碰到|遇到|撞见))"
    + "|"
    + TRADE_INTRO
    + (
        r"|" + AGE + r"|退休(了|前|后|多年|以后|干部|教师|老师|职工|工人|人员|在家)"
        r"|(已经|早就|早已|前几年|去年|刚|已|早)退休|退休$|身体(还|挺|不)|闲着|不[太大]会(打字|用)"
    )
)
LEADING_COURTESY = re.compile(r"^(您好|你好|请问|麻烦问一下|麻烦|打扰一下|打扰了|同志|领导|哈)+")
ASKING = re.compile(
    r"吗|(?<![这那多要])么|呢|不$|没$|怎|咋|哪|谁|啥|什么|如何|能否|能不能|可不可以|可以|多少|几|要|想"
)
#: A question word proper (not 想, 要 or 可以, which a self-introduction says too: "我是来办事的想…").
DIRECT_ASK = re.compile(r"吗|怎|咋|哪|谁|啥|什么|如何|能否|能不能|可不可以|多少|几(?!个孩子|口人|十年|年前)")

#: Characters of question scaffolding; a "typo" containing one is usually no typo (归哪 ≠ 归纳).
FUNCTION_CHARS = frozenset("的了吗呢吧啊哪谁啥么什怎个我你他她它们是在有吧嘛呀")

#: Negations: a pair starting with one is no typo of a word (不回 is not 不会).
NEGATIONS = frozenset("不没")

#: The commonest Chinese surnames: 郭家, 王家 is a family ("俺们郭家的田亩册子"), not a typo of
#: 国家 or any other word that sounds alike.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
#: What follows a surname to name a family (郭家).
FAMILY_CHARS = frozenset("家")

#: Generic nouns of how people ask about any office ("哪个部门", "什么材料"): unknown to the
#: knowledge, but no sign that the topic is someone else's business.
SCAFFOLD_WORDS = frozenset(
    """
    部门 股室 科室 单位 机构 地方 流程 手续 材料 电话 地址 时间 人员 负责人 办法 步骤 条件 要求 规定
    政府办 县政府办 政府办公室 县里 咱县 本县 咱们县
    窗口 网上 线上 线下 资料 事项 业务 一次 多久 多长时间 多少钱 以上 以下 交给 办理 处理 咨询
    咋办 怎么办 咋整 怎么整 咋弄 怎么弄 咋搞 怎么搞 如何是好 到底 究竟
    伢子 细伢子 孙伢子 堂客 那口子 老伴 老伴儿 老头子 老婆婆 老婆子 俺家 我崽 崽 闺女 儿子 女儿 孙子
    孙女 老婆 老公 婆婆 公公 俺娘 俺爹 我爸 我妈 阿公 阿婆 外甥 亲戚 老汉
    """.split()
)

#: A remark after thanks that complains or reports ("谢谢，我的申请超期了还没答复", "…被拒了"):
#: still the resident's matter, not the end of the conversation ("不太会用手机" is who types).
DISSENT = re.compile(r"没|不(?!太会|会用|会打|大会|好意思|识字|认字|好使|中用)|冇|拒|超期|超过|被")

#: The question speaks of this county or its government ("县里每年查执法案卷"; a county named,
#: "湘阴哪个部门", is read from the departments): with one of our own terms beside it, another
#: office's word is the resident's story.
OUR_COUNTY = re.compile(r"(?<![外邻隔别])县(里|上|政府|档案|领导|长(?!途)|人大|政协|委|人防)|咱县|本县|全县")

#: The subject of a deputy's proposal, a township's request for instructions, a normative
#: document drafted or a study ("关于校车安全的提案", "打了个请示要修机井", "拟出台一份河道采砂
#: 管理的规范性文件", "调研货运物流"): whatever it names, handling or reviewing them is this
#: office's duty. (A meeting's decision is not among them: "开会定了要修桥" names what the
#: resident wants followed up, and weighing it down lost more than it won.)
PROPOSAL_SUBJECT = re.compile(
    r"关于[^ ]{1,16}?的?(提案|议案|代表建议|委员提案|建议案|请示)|请示(要|想|申请|请求|说要)[^ ]{1,10}|"
    r"反映[^ ]{1,16}?(写成|形成|整理成|作为)了?(代表)?(建议|提案|议案)|"
    r"(出台|制定|起草|拟定|发)(一份|一个|个)?[^ ]{1,16}?的?规范性文件|"
    r"(研究室|县里|县政府|政府|领导)[^ ]{0,8}(调研|调查研究)[^ ]{1,8}|"
    # what a county meeting discussed (殡葬改革, 修路) is not what the resident asks about
    r"(开会|会上|会议|常务会)[^ ]{0,3}(说|讲|研究|讨论|部署)(了|过)?[^ ，。]{1,12}?(的事|问题|工作|那次)"
)

#: Characters that follow a word without making a new one (档案馆里, 档案局的): no typo.
TRAILING_PARTICLES = frozenset("里上下中内外的了着过吗呢吧")

#: Words for a record that a kind of record the office never names may precede (从业资格档案).
RECORD_WORDS = frozenset({"档案", "档", "记录"})

#: Everyday words residents type in pinyin around the office's terms (renfangban dianhua duoshao,
#: dang an guan ji dian kai men): read as characters so the contact, small-talk and scaffolding
#: patterns see them. The knowledge's own terms are read from the index.
PINYIN_WORDS = {
    "duoshao": "多少",
    "dianhua": "电话",
    "haoma": "号码",
    "dizhi": "地址",
    "lianxi": "联系",
    "zainali": "在哪里",
    "nali": "哪里",
    "nar": "哪儿",
    "zaina": "在哪",
    "jidian": "几点",
    "shenme": "什么",
    "shenmeshihou": "什么时候",
    "shihou": "时候",
    "zenme": "怎么",
    "zenmeban": "怎么办",
    "zenyang": "怎样",
    "ruhe": "如何",
    "duojiu": "多久",
    "keyi": "可以",
    "nenggou": "能够",
    "xiexie": "谢谢",
    "nihao": "你好",
    "ninhao": "您好",
    "zaibuzai": "在不在",
    "rengong": "人工",
    "shangban": "上班",
    "xiaban": "下班",
    "kaimen": "开门",
    "guanmen": "关门",
    "zhoumo": "周末",
    "jintian": "今天",
    "mingtian": "明天",
    "zuotian": "昨天",
    "shangwu": "上午",
    "xiawu": "下午",
    "bangwo": "帮我",
    "nihui": "你会",
    "changge": "唱歌",
    "xiaohua": "笑话",
    "juangei": "捐给",
    "juanzeng": "捐赠",
    "huodong": "活动",
    "xuyao": "需要",
    "daishenme": "带什么",
    "xiangyao": "想要",
    "yusuan": "预算",
    "wenjian": "文件",
    "shijian": "时间",
    "bangongshijian": "办公时间",
    # cities an English question names: "flights to Beijing" holds no 背景
    "beijing": "北京",
    "shanghai": "上海",
    "changsha": "长沙",
    "shijiazhuang": "石家庄",
    "xingtai": "邢台",
}

#: Characters and words only Cantonese writes (喺, 嘅, 佢): a message holding one is read with
#: `CANTONESE` first (bot/matcher/cantonese.py), so 边度查 is no typo of 督查 and 嘅 weighs nothing.
#: 唔 marks Cantonese only before a word (唔该, 唔使): Mandarin writes a lone 唔 for "mm" ("唔，好的").
CANTONESE_MARK = re.compile("[喺嘅佢睇咗哋啲搵畀嗰乜咩]|唔(?=[\u4e00-\u9fff])|边度|点样")
#: Cantonese -> Mandarin, longest first when applied (a returnee from Guangdong writing home).
CANTONESE = {
    "边度": "哪里",
    "点样": "怎么",
    "几多": "多少",
    "乜嘢": "什么",
    "识做": "会做",
    "识唔识": "会不会",
    "㗎": "",
    "而家": "现在",
    "屋企": "家里",
    "唔该晒": "谢谢",
    "唔该哂": "谢谢",
    "唔该你": "谢谢你",
    "唔该": "请",
    "使唔使": "要不要",
    "得唔得": "行不行",
    "系唔系": "是不是",
    "定系": "还是",
    "喺": "在",
    "嘅": "的",
    "佢": "他",
    "睇": "看",
    "咗": "了",
    "哋": "们",
    "啲": "些",
    "搵": "找",
    "畀": "给",
    "嗰": "那",
    "唔": "不",
    "俾": "给",
    "呢个": "这个",
    "呢度": "这里",
    "边一步": "哪一步",
    "去到边": "到哪",
    "边个": "谁",
    "系咪": "是不是",
    "咩": "什么",
}

#: 唔该 closing a clause thanks ("好的，唔该"); opening a request it is "please" (唔该问下…).
CANTONESE_CLOSING_THANKS = (re.compile(r"唔该(?=$| )"), CANTONESE["唔该晒"])


#: A name that is an office's (档案馆, 人防办), not only a county's or a field's (湘阴, 人防).
UNIT_SUFFIX = re.compile(r"(局|馆|办|办公室)$")
#: Other bodies' archives, named the way our units are (城建档案馆 belongs to 住建).
OTHER_ARCHIVES = ("城建", "医院", "学校", "企业", "公司", "单位")
#: The office spoken to in the formal second person (贵馆可否查阅, 贵办): one of our units.
HONORIFIC_YOU = re.compile(r"贵(馆|局|办|处|单位)")

#: Asked which of two offices handles a matter: "是找教育局还是找档案局", "去派出所还是找你们";
#: 还是 right before an office or a way to one, not the "still" of "我还是想查".
EITHER = re.compile(
    r"还是(找|去|归|送|到|问|由|交给?)?"
    r"(你们|您们|贵|咱|[^ ]{0,8}?(局|馆|办|办公室|所|院|中心|站|部门|单位|窗口))"
)
#: The resident asks which office handles a matter ("找哪个部门", "是不是档案局管", "还是得上派出所");
#: 还是 only before an office, as in EITHER ("我还是要去一趟" asks no office).
WHICH_OFFICE = re.compile(
    r"哪个(部门|单位|局|窗口)|哪家单位|找谁|归谁|谁管|是不是[^ ]{0,6}管|管不管"
    r"|还是(得|要|该)?(去|上|找|到)[^ ]{0,8}?(局|馆|办|所|院|中心|站|部门|单位|窗口)"
)
#: An application to us named: its progress is ours to tell, whatever other office's word is in it.
OUR_APPLICATION = re.compile(r"信息公开|公开申请|查档|调档|档案查询|查询档案|异地查")
#: The resident speaking to the office as a whole.
YOU_PLURAL = re.compile(r"你们|您们")
