//! Demo congress data for Jianyi (人大代表建议办理).
//!
//! Everything in this module is fictional — deputies, phone numbers,
//! suggestion titles and bodies, and the unit assignments — apart from the
//! headline figures of the seed year it is modelled on: the 6th session of
//! the 14th Kunming (昆明市) People's Congress, with 291 suggestions (270
//! handed in during the meeting, 21 during the recess), 57 handling units and
//! 4 key suggestions (重点建议), all led by the city government.
//!
//! The data is fully deterministic: no randomness and no clock are used.

/// Suggestion categories, in display order.
pub const CATEGORIES: [&str; 7] =
    ["经济建设", "城建交通", "监察司法", "社会事业", "教科文卫", "农林水、生态环保", "党群综合及其他"];

/// Number of suggestions per category, in the order of [`CATEGORIES`].
pub const CATEGORY_COUNTS: [usize; 7] = [28, 85, 12, 22, 65, 60, 19];

/// A handling unit (承办单位).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUnit {
    pub name: &'static str,
    pub kind: &'static str,
}

/// A special committee of the congress and the categories it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCommittee {
    pub name: &'static str,
    pub categories: &'static [&'static str],
}

/// A deputy (人大代表).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDeputy {
    pub name: String,
    pub delegation: &'static str,
    pub phone: String,
}

/// A deputy's suggestion (代表建议).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSuggestion {
    pub title: String,
    pub body: String,
    /// Index into [`CATEGORIES`].
    pub category: usize,
    /// `true`: handed in during the meeting; `false`: during the recess.
    pub meeting: bool,
    /// Index into [`deputies`].
    pub lead_deputy: usize,
    /// 0..=4 indexes into [`deputies`], distinct, never `lead_deputy`.
    pub co_signers: Vec<usize>,
    /// About 5% of suggestions are time-sensitive.
    pub time_sensitive: bool,
    /// Exactly 4 key suggestions (重点建议).
    pub key: bool,
    /// Index into [`units`]: the unit that would plausibly lead.
    pub lead_unit: usize,
    /// 0..=2 other plausible units, distinct, never `lead_unit`.
    pub assist_units: Vec<usize>,
}

// ---------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------

const GOV: usize = 0;
const DRC: usize = 1;
const EDU: usize = 2;
const SCI: usize = 3;
const IND: usize = 4;
const POLICE: usize = 5;
const CIVIL: usize = 6;
const JUSTICE: usize = 7;
const FIN: usize = 8;
const HRSS: usize = 9;
const NRP: usize = 10;
const ECO: usize = 11;
const HOUSING: usize = 12;
const URBAN: usize = 13;
const TRANS: usize = 14;
const AGRI: usize = 15;
const WATER: usize = 16;
const COMM: usize = 17;
const CULT: usize = 18;
const HEALTH: usize = 19;
const VET: usize = 20;
const EMERG: usize = 21;
const SAMR: usize = 22;
const MEDINS: usize = 23;
const FOREST: usize = 24;
const DIANCHI: usize = 25;
const COURT: usize = 26;
const PROC: usize = 27;
const UNION: usize = 28;
const YOUTH: usize = 29;
const WOMEN: usize = 30;
const DISABLED: usize = 31;
const ORG: usize = 32;
const PROP: usize = 33;
const POLLEG: usize = 34;
const POWER: usize = 35;
const METRO: usize = 36;
const DATA: usize = 37;
const AUDIT: usize = 38;
const STATS: usize = 39;
const SASAC: usize = 40;
const INVEST: usize = 41;
const FINREG: usize = 42;
const GOVSVC: usize = 43;
const ETHNIC: usize = 44;
const DEFMOB: usize = 45;
const AFFAIRS: usize = 46;
const PETITION: usize = 47;
const GARDEN: usize = 48;
const FUND: usize = 49;
const FIRE: usize = 50;
const WEATHER: usize = 51;
const FEDIC: usize = 52;
const SCIASSOC: usize = 53;
const BUS: usize = 54;
const SOCIAL: usize = 55;
const REDCROSS: usize = 56;

/// `(name, kind)`; the position in this table is the unit index used above.
const UNIT_TABLE: [(&str, &str); 57] = [
    ("昆明市人民政府", "government"),
    ("市发展和改革委员会", "government"),
    ("市教育体育局", "government"),
    ("市科学技术局", "government"),
    ("市工业和信息化局", "government"),
    ("市公安局", "government"),
    ("市民政局", "government"),
    ("市司法局", "government"),
    ("市财政局", "government"),
    ("市人力资源和社会保障局", "government"),
    ("市自然资源和规划局", "government"),
    ("市生态环境局", "government"),
    ("市住房和城乡建设局", "government"),
    ("市城市管理局", "government"),
    ("市交通运输局", "government"),
    ("市农业农村局", "government"),
    ("市水务局", "government"),
    ("市商务局", "government"),
    ("市文化和旅游局", "government"),
    ("市卫生健康委", "government"),
    ("市退役军人事务局", "government"),
    ("市应急管理局", "government"),
    ("市市场监督管理局", "government"),
    ("市医疗保障局", "government"),
    ("市林业和草原局", "government"),
    ("市滇池管理局", "government"),
    ("昆明市中级人民法院", "court"),
    ("昆明市人民检察院", "procuratorate"),
    ("市总工会", "mass_organization"),
    ("团市委", "mass_organization"),
    ("市妇联", "mass_organization"),
    ("市残联", "mass_organization"),
    ("市委组织部", "party"),
    ("市委宣传部", "party"),
    ("市委政法委", "party"),
    ("昆明供电局", "enterprise"),
    ("昆明轨道交通集团", "enterprise"),
    ("市数据局", "government"),
    ("市审计局", "government"),
    ("市统计局", "government"),
    ("市国有资产监督管理委员会", "government"),
    ("市投资促进局", "government"),
    ("市地方金融管理局", "government"),
    ("市政务服务管理局", "government"),
    ("市民族宗教事务委员会", "government"),
    ("市国防动员办公室", "government"),
    ("市机关事务管理局", "government"),
    ("市信访局", "government"),
    ("市园林绿化局", "government"),
    ("昆明住房公积金管理中心", "other"),
    ("昆明市消防救援支队", "other"),
    ("昆明市气象局", "other"),
    ("市工商业联合会", "mass_organization"),
    ("市科学技术协会", "mass_organization"),
    ("昆明公交集团", "enterprise"),
    ("市委社会工作部", "party"),
    ("市红十字会", "mass_organization"),
];

/// The 57 handling units; index 0 is the city government.
#[must_use]
pub fn units() -> Vec<DemoUnit> {
    UNIT_TABLE.iter().map(|&(name, kind)| DemoUnit { name, kind }).collect()
}

// ---------------------------------------------------------------------------
// Committees
// ---------------------------------------------------------------------------

const COMMITTEE_TABLE: [(&str, &[&str]); 7] = [
    ("市人大财政经济委员会", &["经济建设"]),
    ("市人大城乡建设环境保护委员会", &["城建交通", "农林水、生态环保"]),
    ("市人大监察和司法委员会", &["监察司法"]),
    ("市人大社会建设委员会", &["社会事业"]),
    ("市人大教育科学文化卫生委员会", &["教科文卫"]),
    ("市人大农业与农村委员会", &["农林水、生态环保"]),
    ("市人大常委会代表工作委员会", &["党群综合及其他"]),
];

/// The congress's special committees and the categories each follows.
#[must_use]
pub fn committees() -> Vec<DemoCommittee> {
    COMMITTEE_TABLE.iter().map(|&(name, categories)| DemoCommittee { name, categories }).collect()
}

// ---------------------------------------------------------------------------
// Deputies
// ---------------------------------------------------------------------------

const DEPUTY_NAMES: [&str; 100] = [
    "李建华",
    "王春燕",
    "张志强",
    "刘丽萍",
    "陈国栋",
    "杨秀英",
    "赵明",
    "黄晓玲",
    "周海涛",
    "吴桂兰",
    "徐文斌",
    "孙丽",
    "马志刚",
    "朱红梅",
    "胡立新",
    "郭振宇",
    "何晓梅",
    "林永平",
    "高俊",
    "罗丽华",
    "郑海波",
    "梁爽",
    "谢建国",
    "宋雪梅",
    "唐志勇",
    "许静",
    "韩冬",
    "冯晓东",
    "邓丽娟",
    "曹永刚",
    "彭红",
    "曾庆华",
    "肖建平",
    "田芳",
    "董卫东",
    "袁媛",
    "潘志明",
    "于海燕",
    "蒋国华",
    "蔡晓燕",
    "余正平",
    "杜娟",
    "叶文华",
    "程志坚",
    "苏丽琼",
    "魏宏伟",
    "吕燕",
    "丁建新",
    "任晓波",
    "沈丽君",
    "姚成",
    "卢春梅",
    "姜永华",
    "崔晓云",
    "钟海",
    "谭丽芬",
    "陆建伟",
    "汪静",
    "范志华",
    "金玉兰",
    "石磊",
    "廖学文",
    "贾丽",
    "夏正华",
    "韦金凤",
    "付建明",
    "方晓丽",
    "白云峰",
    "邹红英",
    "孟庆林",
    "熊伟",
    "秦丽华",
    "邱建勇",
    "江涛",
    "尹丽萍",
    "薛勇",
    "闫秀珍",
    "段志华",
    "雷蕾",
    "侯建军",
    "龙晓红",
    "史志远",
    "陶丽",
    "黎明华",
    "贺玉梅",
    "顾晓军",
    "毛丽",
    "郝建林",
    "龚正文",
    "邵丽芳",
    "万德明",
    "钱晓红",
    "严志刚",
    "赖丽萍",
    "覃海鹰",
    "武建华",
    "戴丽娟",
    "莫志强",
    "孔祥云",
    "普丽芬",
];

/// Delegations and how many of the 100 demo deputies belong to each.
const DELEGATIONS: [(&str, usize); 15] = [
    ("五华区代表团", 10),
    ("盘龙区代表团", 9),
    ("官渡区代表团", 11),
    ("西山区代表团", 9),
    ("呈贡区代表团", 7),
    ("晋宁区代表团", 6),
    ("东川区代表团", 5),
    ("安宁市代表团", 6),
    ("富民县代表团", 5),
    ("宜良县代表团", 6),
    ("石林县代表团", 5),
    ("嵩明县代表团", 6),
    ("禄劝县代表团", 5),
    ("寻甸县代表团", 6),
    ("解放军代表团", 4),
];

const PHONE_PREFIXES: [&str; 10] = ["138", "139", "150", "151", "158", "159", "187", "188", "189", "199"];

/// Delegation of deputy `i`: deputies are spread over the delegations by a
/// fixed permutation so that neighbours in the list differ.
fn delegation_of(i: usize) -> &'static str {
    let mut slot = (i * 37) % DEPUTY_NAMES.len();
    for &(name, count) in &DELEGATIONS {
        if slot < count {
            return name;
        }
        slot -= count;
    }
    DELEGATIONS[0].0
}

/// The 100 demo deputies.
#[must_use]
pub fn deputies() -> Vec<DemoDeputy> {
    DEPUTY_NAMES
        .iter()
        .enumerate()
        .map(|(i, &name)| DemoDeputy {
            name: name.to_string(),
            delegation: delegation_of(i),
            phone: format!("{}{:08}", PHONE_PREFIXES[i % PHONE_PREFIXES.len()], (i * 7_919 + 23_456_781) % 100_000_000),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Suggestion topics
// ---------------------------------------------------------------------------

/// `(topic, lead unit, assisting units)`; the title is `关于{topic}的建议`.
type Topic = (&'static str, usize, &'static [usize]);

const ECONOMY: [Topic; 28] = [
    ("推动昆明区域性国际中心城市建设", GOV, &[DRC, COMM]),
    ("优化营商环境促进民营经济高质量发展", GOV, &[DRC, FEDIC]),
    ("加快构建现代化产业体系", DRC, &[IND, SCI]),
    ("推动绿色铝和硅光伏产业延链补链", IND, &[DRC]),
    ("支持生物医药和大健康产业集群发展", IND, &[SCI, HEALTH]),
    ("加快发展数字经济和算力基础设施", DATA, &[IND]),
    ("推进国家物流枢纽和面向南亚东南亚辐射中心建设", DRC, &[COMM, TRANS]),
    ("提升自贸试验区昆明片区制度创新水平", COMM, &[GOVSVC]),
    ("促进夜间经济发展和消费提质扩容", COMM, &[CULT]),
    ("加强招商引资项目全周期服务", INVEST, &[GOVSVC]),
    ("破解中小微企业融资难融资贵问题", FINREG, &[FIN, FEDIC]),
    ("推进市属国有企业改革提质增效", SASAC, &[FIN]),
    ("规范涉企收费切实减轻企业负担", SAMR, &[DRC]),
    ("加快清理拖欠民营企业账款", FIN, &[IND, AUDIT]),
    ("强化财政资金预算绩效管理", FIN, &[AUDIT]),
    ("加强政府投资项目审计监督", AUDIT, &[FIN]),
    ("提升统计数据质量服务经济决策", STATS, &[DRC]),
    ("深入推行“高效办成一件事”改革", GOVSVC, &[DATA]),
    ("支持专精特新中小企业成长", IND, &[SCI, FINREG]),
    ("发展跨境电商和边境贸易", COMM, &[INVEST]),
    ("推动昆明老字号品牌保护与振兴", COMM, &[SAMR, CULT]),
    ("加强产业园区标准厂房和配套设施建设", IND, &[NRP]),
    ("稳定工业用电价格保障企业用能", POWER, &[DRC, IND]),
    ("推动科技成果就地转化和产业化", SCI, &[IND]),
    ("培育壮大会展经济打造国际会展名城", COMM, &[INVEST, CULT]),
    ("加强知识产权保护助力创新型企业发展", SAMR, &[SCI, COURT]),
    ("发挥商会作用促进非公有制经济健康发展", FEDIC, &[IND]),
    ("推动首店经济和重点商圈提质升级", COMM, &[URBAN]),
];

const URBAN_TRANSPORT: [Topic; 85] = [
    ("加快推进城市更新和城中村改造", GOV, &[HOUSING, NRP]),
    ("加快推进老旧小区加装电梯", HOUSING, &[SAMR, FUND]),
    ("优化主城区公交线网与地铁接驳", BUS, &[METRO, TRANS]),
    ("加快推进轨道交通后续线路建设", METRO, &[DRC, NRP]),
    ("提升地铁站点周边慢行系统和无障碍设施", METRO, &[URBAN, DISABLED]),
    ("治理主城区交通拥堵节点", POLICE, &[TRANS, URBAN]),
    ("增加中小学和医院周边停车泊位", URBAN, &[POLICE, EDU]),
    ("规范共享电单车停放管理", URBAN, &[POLICE]),
    ("推进城市生活垃圾分类和源头减量", URBAN, &[ECO]),
    ("加快建设城市地下综合管廊", HOUSING, &[NRP]),
    ("加强城市排水防涝能力建设", WATER, &[HOUSING, EMERG]),
    ("加快推进保障性住房建设", HOUSING, &[FUND, NRP]),
    ("完善住房公积金提取和贷款政策", FUND, &[HOUSING]),
    ("解决历史遗留项目不动产办证难问题", NRP, &[HOUSING]),
    ("加快问题楼盘风险化解和保交房", HOUSING, &[COURT, NRP]),
    ("加强物业服务企业监管", HOUSING, &[SAMR]),
    ("推进既有住宅小区充电设施建设", POWER, &[HOUSING, URBAN]),
    ("加快新能源汽车公共充电网络布局", DRC, &[POWER]),
    ("提升长水国际机场综合交通枢纽功能", TRANS, &[METRO, DRC]),
    ("完善昆明南站综合交通枢纽配套", TRANS, &[BUS]),
    ("打通主城区断头路和瓶颈路", HOUSING, &[NRP, TRANS]),
    ("完善城市绿道和口袋公园建设", GARDEN, &[NRP]),
    ("加强城市行道树科学管护", GARDEN, &[URBAN]),
    ("加强户外广告和门头招牌规范管理", URBAN, &[SAMR]),
    ("整治城市道路反复开挖问题", HOUSING, &[URBAN, POWER]),
    ("推动建筑垃圾资源化利用", URBAN, &[HOUSING, ECO]),
    ("加强高层建筑消防安全管理", FIRE, &[HOUSING, EMERG]),
    ("推进智慧交通信号控制系统建设", POLICE, &[DATA]),
    ("提升出租车和网约车服务质量", TRANS, &[POLICE]),
    ("加强城市公厕建设和管理", URBAN, &[GARDEN]),
    ("优化环滇池区域交通路网", TRANS, &[DIANCHI, NRP]),
    ("加快主城至县区快速通道建设", TRANS, &[DRC]),
    ("推动公交专用道网络化建设", BUS, &[POLICE]),
    ("提高地铁高峰时段运力和服务水平", METRO, &[TRANS]),
    ("加快老旧燃气管道更新改造", HOUSING, &[EMERG, SAMR]),
    ("系统化全域推进海绵城市建设", HOUSING, &[WATER]),
    ("加强历史文化街区保护利用", NRP, &[CULT, HOUSING]),
    ("规范农村自建房建设和安全管理", HOUSING, &[AGRI, NRP]),
    ("加快供水管网改造降低漏损率", WATER, &[HOUSING]),
    ("完善城市夜间照明设施维护", URBAN, &[POWER]),
    ("规范电动自行车集中充电和停放场所建设", FIRE, &[URBAN, POWER]),
    ("加强学校周边道路交通安全设施建设", POLICE, &[EDU, TRANS]),
    ("推进“15分钟便民生活圈”建设", COMM, &[HOUSING, CIVIL]),
    ("完善城市无障碍环境建设", HOUSING, &[DISABLED]),
    ("推进停车场建设和车位错时共享", URBAN, &[NRP, POLICE]),
    ("提升城市管理精细化和数字化水平", URBAN, &[DATA]),
    ("加强建设工程质量安全监管", HOUSING, &[EMERG]),
    ("解决新建小区配套学校和幼儿园滞后问题", NRP, &[EDU, HOUSING]),
    ("加快主城区配电网升级改造", POWER, &[NRP]),
    ("推进5G基站等通信基础设施共建共享", DATA, &[NRP, IND]),
    ("规范占道经营和流动摊贩疏导管理", URBAN, &[COMM]),
    ("加强城市桥梁隧道安全检测", HOUSING, &[EMERG]),
    ("推进盘龙江沿岸景观提升", GARDEN, &[WATER, NRP]),
    ("完善轨道交通站点公交接驳和停车换乘", METRO, &[BUS, URBAN]),
    ("优化长途客运站布局和功能转型", TRANS, &[NRP]),
    ("加强渣土运输车辆管理", URBAN, &[POLICE, TRANS]),
    ("加快城乡客运一体化发展", TRANS, &[BUS, AGRI]),
    ("加强城市地下空间开发利用", NRP, &[HOUSING, DEFMOB]),
    ("推进人防工程平战结合利用", DEFMOB, &[NRP]),
    ("加强房地产中介市场秩序整治", HOUSING, &[SAMR]),
    ("规范住宅专项维修资金使用", HOUSING, &[AUDIT]),
    ("加快城市慢行交通系统建设", TRANS, &[HOUSING, URBAN]),
    ("推进绿色建筑和装配式建筑发展", HOUSING, &[IND]),
    ("加强城市道路井盖安全管理", URBAN, &[HOUSING, POWER]),
    ("提升主城区背街小巷环境品质", URBAN, &[HOUSING]),
    ("加快城市防洪和河道堤防建设", WATER, &[EMERG]),
    ("推进地铁站出入口与周边商业一体化开发", METRO, &[NRP, COMM]),
    ("规范设置城市道路交通标志标线", POLICE, &[HOUSING]),
    ("规范建筑工地夜间施工管理", HOUSING, &[ECO, URBAN]),
    ("完善城市应急避难场所建设", EMERG, &[NRP, DEFMOB]),
    ("推进架空线缆入地和规范整治", POWER, &[HOUSING, DATA]),
    ("推进城市停车收费智能化管理", URBAN, &[DRC, DATA]),
    ("优化高速公路收费站出入口交通组织", TRANS, &[POLICE]),
    ("加强农村公路建设和养护", TRANS, &[AGRI]),
    ("做好城市更新中的片区统筹和资金平衡", HOUSING, &[FIN, NRP]),
    ("提升城市公园服务品质", GARDEN, &[CULT]),
    ("规范小区地下车位销售和租赁", HOUSING, &[SAMR, DRC]),
    ("推进燃气用户安全装置加装", HOUSING, &[EMERG]),
    ("加快城市生活污水收集管网建设", WATER, &[HOUSING]),
    ("提升公交站台候车设施", BUS, &[URBAN]),
    ("推动滇中城市群城际交通互联互通", DRC, &[TRANS, METRO]),
    ("加强城市地质灾害隐患排查治理", NRP, &[EMERG]),
    ("完善老旧小区改造后长效管理机制", HOUSING, &[CIVIL, URBAN]),
    ("优化城市道路限速和交通组织管理", POLICE, &[TRANS]),
    ("推进城市信息模型平台建设", DATA, &[NRP, HOUSING]),
];

const SUPERVISION_JUSTICE: [Topic; 12] = [
    ("加强多元化纠纷解决机制建设", COURT, &[JUSTICE, POLLEG]),
    ("推进执行难源头治理", COURT, &[POLLEG]),
    ("加强未成年人检察保护工作", PROC, &[EDU, YOUTH]),
    ("拓展公益诉讼检察工作", PROC, &[ECO]),
    ("深化公共法律服务体系建设", JUSTICE, &[CIVIL]),
    ("加强人民调解员队伍建设", JUSTICE, &[FIN]),
    ("加大电信网络诈骗防范打击力度", POLICE, &[PROC, DATA]),
    ("深化平安昆明建设和社会治安综合治理", POLLEG, &[POLICE]),
    ("加强社区矫正工作", JUSTICE, &[POLICE]),
    ("推进信访工作法治化", PETITION, &[POLLEG, JUSTICE]),
    ("加强涉企行政执法监督", JUSTICE, &[SAMR]),
    ("加强民事行政检察监督维护司法公正", PROC, &[COURT]),
];

const SOCIAL_AFFAIRS: [Topic; 22] = [
    ("完善居家社区养老服务体系", CIVIL, &[HEALTH]),
    ("推进老年助餐服务全覆盖", CIVIL, &[COMM]),
    ("加强困境儿童关爱保护", CIVIL, &[WOMEN, EDU]),
    ("做好高校毕业生就业创业服务", HRSS, &[EDU, YOUTH]),
    ("保障新就业形态劳动者权益", HRSS, &[UNION]),
    ("推进城乡低保和社会救助精准化", CIVIL, &[FIN]),
    ("提升医保异地就医直接结算便利度", MEDINS, &[HEALTH]),
    ("将更多康复项目纳入医保支付范围", MEDINS, &[DISABLED]),
    ("做好退役军人就业安置和优抚服务", VET, &[HRSS]),
    ("加强残疾人就业帮扶和托养服务", DISABLED, &[HRSS, CIVIL]),
    ("维护妇女儿童合法权益和加强家庭建设", WOMEN, &[CIVIL]),
    ("推进户外劳动者服务驿站建设", UNION, &[URBAN]),
    ("加强社区工作者队伍建设", SOCIAL, &[CIVIL]),
    ("完善基层应急管理体系", EMERG, &[FIRE]),
    ("加强城乡公益性公墓建设和殡葬改革", CIVIL, &[NRP]),
    ("健全农民工工资支付保障机制", HRSS, &[HOUSING]),
    ("提升应急救护培训覆盖率", REDCROSS, &[HEALTH, EDU]),
    ("促进少数民族群众就业增收", ETHNIC, &[HRSS]),
    ("推进长期护理保险制度试点", MEDINS, &[HEALTH, CIVIL]),
    ("加强基层消防救援力量建设", FIRE, &[EMERG]),
    ("完善灵活就业人员社会保险参保政策", HRSS, &[MEDINS]),
    ("加强志愿服务体系建设", SOCIAL, &[YOUTH]),
];

const EDU_SCI_CULT_HEALTH: [Topic; 65] = [
    ("扩大主城区优质学位供给", EDU, &[NRP]),
    ("推进义务教育优质均衡发展", EDU, &[FIN]),
    ("加强中小学生心理健康教育", EDU, &[HEALTH]),
    ("落实中小学生每天综合体育活动两小时", EDU, &[]),
    ("加快普惠性幼儿园建设", EDU, &[FIN]),
    ("推动普惠托育服务体系建设", HEALTH, &[CIVIL, WOMEN]),
    ("深化职业教育产教融合", EDU, &[HRSS, IND]),
    ("推进县域普通高中振兴", EDU, &[]),
    ("加强乡村教师队伍建设", EDU, &[HRSS]),
    ("规范校外培训机构管理", EDU, &[SAMR]),
    ("推进学校体育场馆向社会开放", EDU, &[]),
    ("加强中小学校园食品安全管理", SAMR, &[EDU]),
    ("推进紧密型县域医共体建设", HEALTH, &[MEDINS]),
    ("提升基层医疗卫生机构服务能力", HEALTH, &[HRSS]),
    ("加快国家区域医疗中心建设", HEALTH, &[DRC]),
    ("缓解儿童看病难问题", HEALTH, &[]),
    ("加强精神卫生服务体系建设", HEALTH, &[CIVIL]),
    ("推进医养结合发展", HEALTH, &[CIVIL]),
    ("促进中医药传承创新发展", HEALTH, &[SCI]),
    ("推动医疗机构检查检验结果互认", HEALTH, &[MEDINS, DATA]),
    ("加强院前急救体系建设", HEALTH, &[FIN]),
    ("加强疾病预防控制体系建设", HEALTH, &[]),
    ("推进全民健身设施建设", EDU, &[GARDEN]),
    ("打造高原特色体育赛事品牌", EDU, &[CULT]),
    ("加强古滇文化保护传承", CULT, &[PROP]),
    ("推进博物馆和图书馆错时延时开放", CULT, &[]),
    ("加强非物质文化遗产保护传承", CULT, &[ETHNIC]),
    ("推动文旅深度融合建设世界旅游名城", CULT, &[COMM]),
    ("规范旅游市场秩序提升游客体验", CULT, &[SAMR]),
    ("加强红色文化资源保护利用", PROP, &[CULT, VET]),
    ("推动斗南花卉与文旅融合发展", CULT, &[AGRI]),
    ("推动文化创意产业发展", PROP, &[CULT]),
    ("提升基层公共文化服务效能", CULT, &[]),
    ("加强科技创新平台建设", SCI, &[DRC]),
    ("加强科技人才引进培养", SCI, &[ORG, HRSS]),
    ("推动高新技术企业培育倍增", SCI, &[IND]),
    ("加强科普基础设施建设", SCIASSOC, &[SCI, EDU]),
    ("支持高校院所与企业协同创新", SCI, &[EDU]),
    ("加强青少年科技创新教育", SCIASSOC, &[EDU, YOUTH]),
    ("加强网络文明建设", PROP, &[DATA]),
    ("加强儿童青少年近视防控", EDU, &[HEALTH]),
    ("推进校园周边环境综合治理", POLICE, &[EDU, SAMR]),
    ("加强青少年网络素养教育", YOUTH, &[EDU, PROP]),
    ("推进校园足球普及发展", EDU, &[]),
    ("提升气象防灾减灾科普能力", WEATHER, &[SCIASSOC]),
    ("推动智慧医疗和互联网医院发展", HEALTH, &[DATA]),
    ("加强基层卫生人才队伍建设", HEALTH, &[HRSS, ORG]),
    ("推进妇幼健康服务提质", HEALTH, &[WOMEN]),
    ("完善传染病监测预警体系", HEALTH, &[DATA]),
    ("推动药品集中带量采购政策落地", MEDINS, &[HEALTH]),
    ("加强民营医院监管和规范发展", HEALTH, &[SAMR]),
    ("改善农村学校寄宿条件", EDU, &[FIN]),
    ("促进特殊教育高质量发展", EDU, &[DISABLED]),
    ("推进中小学课后服务提质增效", EDU, &[]),
    ("支持影视产业发展", PROP, &[CULT]),
    ("加强历史名人故居和文物保护利用", CULT, &[NRP]),
    ("推进公共图书馆总分馆制建设", CULT, &[FIN]),
    ("切实减轻中小学教师非教学负担", EDU, &[ORG]),
    ("支持在昆高校建设一流学科", EDU, &[SCI]),
    ("加强县级医院重症医学科建设", HEALTH, &[]),
    ("加强口腔和眼健康公共卫生服务", HEALTH, &[]),
    ("推动体育产业和户外运动发展", EDU, &[CULT]),
    ("推动民族文化进校园", ETHNIC, &[EDU]),
    ("加强学前教育师资保障", EDU, &[HRSS]),
    ("推进全民阅读和书香昆明建设", PROP, &[CULT]),
];

const AGRI_ECOLOGY: [Topic; 60] = [
    ("加快推进滇池保护治理和流域生态修复", GOV, &[DIANCHI, ECO]),
    ("加强滇池流域入湖河道治理", DIANCHI, &[WATER, ECO]),
    ("推进阳宗海保护治理", ECO, &[WATER]),
    ("加强牛栏江—滇池补水工程运行管理", WATER, &[DIANCHI]),
    ("推进城乡供水一体化", WATER, &[AGRI]),
    ("加快中型水库和灌区建设", WATER, &[AGRI]),
    ("加强农村生活污水治理", ECO, &[AGRI]),
    ("推进农村人居环境整治提升", AGRI, &[HOUSING]),
    ("加快高标准农田建设", AGRI, &[NRP, WATER]),
    ("稳定粮食生产保障粮食安全", AGRI, &[DRC]),
    ("推动高原特色现代农业发展", AGRI, &[SCI]),
    ("支持斗南花卉产业提档升级", AGRI, &[COMM]),
    ("巩固拓展脱贫攻坚成果同乡村振兴有效衔接", AGRI, &[HRSS]),
    ("发展壮大村级集体经济", AGRI, &[ORG]),
    ("加强农产品质量安全监管", AGRI, &[SAMR]),
    ("培育新型农业经营主体", AGRI, &[FINREG]),
    ("推进农村电商和冷链物流发展", COMM, &[AGRI]),
    ("做好森林草原防灭火工作", FOREST, &[EMERG, WEATHER]),
    ("推进国土绿化和城市森林建设", FOREST, &[GARDEN]),
    ("加强湿地和生物多样性保护", FOREST, &[ECO]),
    ("加强大气污染防治和臭氧治理", ECO, &[]),
    ("加强土壤污染防治", ECO, &[AGRI]),
    ("推进固体废物和危险废物规范处置", ECO, &[]),
    ("加强集中式饮用水水源地保护", ECO, &[WATER]),
    ("推进“无废城市”建设", ECO, &[URBAN]),
    ("加强城市噪声污染治理", ECO, &[POLICE, HOUSING]),
    ("稳妥推进碳达峰碳中和工作", DRC, &[ECO]),
    ("加强废弃矿山生态修复", NRP, &[ECO]),
    ("严格耕地保护和违法占用耕地整治", NRP, &[AGRI]),
    ("推进人工增雨和气象为农服务", WEATHER, &[AGRI]),
    ("加强农业面源污染防治", AGRI, &[ECO, DIANCHI]),
    ("推进水土流失综合治理", WATER, &[FOREST]),
    ("压实河湖长制责任", WATER, &[DIANCHI]),
    ("加强东川小江流域泥石流综合防治", NRP, &[WATER]),
    ("持续推进农村“厕所革命”", AGRI, &[HEALTH]),
    ("稳慎推进农村宅基地制度改革", AGRI, &[NRP]),
    ("加强动物疫病防控", AGRI, &[]),
    ("推进农业机械化和农机社会化服务", AGRI, &[IND]),
    ("加强古树名木保护", FOREST, &[GARDEN]),
    ("推进滇池湖滨生态带提质", DIANCHI, &[GARDEN, FOREST]),
    ("加强滇池蓝藻水华防控", DIANCHI, &[ECO]),
    ("推进滇池流域截污治污系统提质增效", DIANCHI, &[WATER]),
    ("扩大再生水利用", WATER, &[GARDEN]),
    ("推进节水型城市建设", WATER, &[DRC]),
    ("加强野生动物疫源疫病监测和保护", FOREST, &[AGRI]),
    ("支持林下经济发展", FOREST, &[AGRI]),
    ("加强生态环境执法", ECO, &[PROC]),
    ("推进生态产品价值实现", DRC, &[ECO, FOREST]),
    ("加强畜禽养殖污染治理", AGRI, &[ECO]),
    ("加强传统村落保护和和美乡村建设", AGRI, &[HOUSING, CULT]),
    ("加强乡村振兴人才培养", AGRI, &[HRSS, ORG]),
    ("完善农业保险政策", FINREG, &[AGRI, FIN]),
    ("加强农村集体“三资”管理", AGRI, &[AUDIT]),
    ("加强清水海水源保护", WATER, &[ECO]),
    ("推进螳螂川—普渡河流域综合治理", ECO, &[WATER]),
    ("加强新能源汽车动力电池回收利用", ECO, &[IND]),
    ("做好山区干旱应急保供水", WATER, &[EMERG]),
    ("发展生态茶和特色经济林", FOREST, &[AGRI]),
    ("推进园林绿化废弃物资源化利用", GARDEN, &[URBAN]),
    ("提升生态环境监测能力和数据共享水平", ECO, &[DATA]),
];

const PARTY_MISC: [Topic; 19] = [
    ("加强基层党组织建设", ORG, &[]),
    ("激励干部担当作为", ORG, &[]),
    ("推进公共机构节能降耗", AFFAIRS, &[]),
    ("加强国防动员和全民国防教育", DEFMOB, &[EDU]),
    ("深化铸牢中华民族共同体意识示范创建", ETHNIC, &[PROP]),
    ("完善12345热线诉求办理机制", GOVSVC, &[PETITION]),
    ("加快青年发展型城市建设", YOUTH, &[DRC]),
    ("推进儿童友好城市建设", WOMEN, &[CIVIL]),
    ("广泛开展职工劳动技能竞赛", UNION, &[HRSS]),
    ("推进政务数据共享开放", DATA, &[GOVSVC]),
    ("加强统计执法和防范统计造假", STATS, &[]),
    ("推动审计整改落实落地", AUDIT, &[]),
    ("加强新兴领域党建工作", SOCIAL, &[ORG]),
    ("规范机关食堂和公务用车管理", AFFAIRS, &[]),
    ("加强城市形象宣传推介", PROP, &[CULT]),
    ("加大信访积案化解力度", PETITION, &[POLLEG]),
    ("规范村级小微权力运行", ORG, &[AGRI]),
    ("持续为基层减负赋能", ORG, &[]),
    ("深化双拥共建工作", VET, &[DEFMOB]),
];

/// Topic tables in the order of [`CATEGORIES`].
const TOPICS: [&[Topic]; 7] = [
    &ECONOMY,
    &URBAN_TRANSPORT,
    &SUPERVISION_JUSTICE,
    &SOCIAL_AFFAIRS,
    &EDU_SCI_CULT_HEALTH,
    &AGRI_ECOLOGY,
    &PARTY_MISC,
];

/// How many suggestions of each category were handed in during the recess
/// (the last ones of each table); the totals give 21 recess, 270 meeting.
const RECESS_COUNTS: [usize; 7] = [2, 6, 1, 2, 5, 4, 1];

// ---------------------------------------------------------------------------
// Body templates
// ---------------------------------------------------------------------------

/// Category background sentences; `{place}` is the lead deputy's area.
const BACKGROUNDS: [[&str; 4]; 7] = [
    [
        "近年来，我市深入实施产业强市行动，经济运行总体平稳、稳中有进，但产业链条偏短、市场主体活力不足、新动能培育偏慢等问题仍较突出。",
        "作为面向南亚东南亚辐射中心的核心城市，昆明区位优势明显，但开放型经济规模偏小，外向型产业支撑不足，区位优势尚未充分转化为发展优势。",
        "代表在走访{place}企业时了解到，不少企业反映要素成本上升、订单不稳、融资渠道单一，对惠企政策的获得感还有待增强。",
        "当前我市正处于经济转型升级的关键阶段，稳增长、调结构、促改革任务繁重，需要在重点领域和关键环节持续用力。",
    ],
    [
        "近年来，我市城市建设和交通基础设施持续完善，轨道交通线网逐步成型，城市面貌明显改善，但与市民对高品质城市生活的期待相比仍有差距。",
        "随着主城区人口和机动车保有量持续增长，“出行难、停车难”以及老城区基础设施老化等问题日益凸显，{place}群众反映较为集中。",
        "代表在{place}调研时发现，部分片区建设标准不高、配套设施滞后、管理维护跟不上，影响群众的居住体验和城市形象。",
        "城市建设既要“面子”更要“里子”。我市在推进城市建设和管理中取得积极成效，但系统谋划不足、建管脱节等问题依然存在。",
    ],
    [
        "近年来，我市扎实推进法治昆明、平安昆明建设，社会大局保持稳定，但新型矛盾纠纷增多，基层法治力量相对薄弱。",
        "代表在{place}走访中了解到，群众对公平正义和安全感的期待不断提高，一些涉法涉诉问题仍需更加规范、高效地解决。",
        "随着经济社会快速发展，各类矛盾纠纷呈现主体多元、类型复杂的特点，对司法和执法工作提出了更高要求。",
        "法治是最好的营商环境，也是群众安全感的基础。我市法治建设取得明显进展，但执法司法的规范化、便民化水平仍有提升空间。",
    ],
    [
        "近年来，我市持续加大民生投入，社会保障体系不断健全，但人口老龄化加快、就业结构性矛盾突出，基本公共服务仍存在不少短板。",
        "代表在{place}调研时了解到，困难群体、老年人和新就业形态劳动者等群体的急难愁盼问题较为集中，群众期盼更加精准的服务。",
        "民生无小事，枝叶总关情。我市社会事业发展成效明显，但城乡之间、区域之间服务水平不均衡的问题仍然存在。",
        "随着城镇化深入推进和人口结构变化，群众对社会保障和公共服务的需求日益多样，现有政策和服务供给还不能完全适应。",
    ],
    [
        "近年来，我市教育、科技、文化、卫生健康事业稳步发展，公共服务供给持续增加，但优质资源总量不足、分布不均的问题依然突出。",
        "代表在{place}走访中发现，群众对“上好学、看好病、享文化”的期待日益提高，现有服务供给与群众需求之间还存在差距。",
        "昆明作为省会城市，集中了全省大量优质教育、科技和医疗资源，但资源辐射带动作用发挥不够，县区与主城差距较大。",
        "推进教育强市、科技强市、文化强市、健康昆明建设，是我市高质量发展的重要支撑，但相关领域投入保障和体制机制仍需完善。",
    ],
    [
        "近年来，我市坚持生态优先、绿色发展，滇池水质持续向好，生态环境质量总体改善，但生态保护修复和农业农村发展任务依然艰巨。",
        "代表在{place}调研时了解到，农村基础设施欠账较多，农业产业化水平不高，农民增收渠道偏窄，乡村振兴仍需持续发力。",
        "昆明是高原湖泊城市，水资源总量相对短缺，生态系统较为脆弱，水安全、水环境和生态保护的压力长期存在。",
        "良好的生态环境是昆明最大的优势和最宝贵的财富，但部分区域生态环境治理成效还不稳固，一些问题反弹回潮的风险仍然存在。",
    ],
    [
        "近年来，我市各级党组织和群团组织在服务发展、联系群众方面发挥了积极作用，但部分工作方式方法与新形势新任务还不完全适应。",
        "代表在{place}走访时了解到，基层干部和群众对改进工作作风、提升服务效能有较多期待，一些长期存在的问题仍需下功夫解决。",
        "加强党的建设和机关、群团工作，是推动全市各项事业发展的重要保障，相关工作在制度执行和统筹协调上仍有提升空间。",
        "群团组织和机关部门是联系服务群众的重要桥梁，近年来工作成效明显，但在覆盖新兴群体、下沉基层一线方面仍有不足。",
    ],
];

/// Problem sentences; `{topic}` is the suggestion's topic phrase.
const PROBLEMS: [&str; 5] = [
    "就{topic}而言，我市虽已出台相关政策，但存在政策碎片化、部门协同不够、落地见效较慢等问题，群众的获得感还不强。",
    "从调研情况看，{topic}工作推进中仍面临资金投入不足、专业力量薄弱、考核机制不完善等短板，部分任务停留在文件层面。",
    "群众对{topic}期盼较高，但目前仍存在底数不清、标准不一、责任不实的情况，一些问题反复出现，群众意见较大。",
    "对照先进城市经验，我市在{topic}方面还有明显差距，突出表现为统筹规划不够、保障措施不足、长效机制尚未建立。",
    "{topic}涉及面广、牵涉部门多，目前各方职责边界不够清晰，信息共享和协调联动不畅，工作合力尚未形成。",
];

/// Category-specific problem sentences; `{topic}` as above.
const CATEGORY_PROBLEMS: [&str; 7] = [
    "{topic}事关企业切身利益，但部分政策申报门槛高、兑现周期长，企业反映“看得见、摸不着”，政策红利未能充分释放。",
    "{topic}与市民日常生活密切相关，但当前存在规划衔接不够、建设进度偏慢、后期管护缺位等问题，通过12345热线反映的诉求较多。",
    "在{topic}方面，基层普遍反映力量配备不足、工作衔接不畅、信息化支撑薄弱，工作质效与群众期待还有差距。",
    "在{topic}方面，服务资源主要集中在主城区，县区和农村覆盖不足，部分政策知晓率不高，群众办事仍需多头跑。",
    "在{topic}方面，资源投入和人才保障相对不足，城乡之间、机构之间差距较大，群众获得感还不够强。",
    "在{topic}方面，基础设施欠账较多，治理和管护资金主要依靠财政投入，长效运维机制尚不健全，成效巩固压力较大。",
    "在{topic}方面，部分单位存在重部署轻落实、重形式轻实效的现象，工作措施与基层实际结合不够紧密。",
];

/// First proposals (planning); `{lead}` is the lead unit's name.
const FIRST: [&str; 4] = [
    "强化统筹谋划，由{lead}牵头制定专项工作方案，明确目标任务、时间节点和责任分工",
    "摸清底数、找准症结，组织开展专题调研，建立问题清单和项目清单，分类分批推进",
    "加强顶层设计，将该项工作纳入年度重点任务和相关专项规划，统筹安排、一体推进",
    "坚持问题导向，聚焦群众反映强烈的突出问题，由{lead}会同相关部门逐项研究解决办法",
];

/// Second proposals, specific to each category.
const SECOND: [[&str; 3]; 7] = [
    [
        "落实落细各项惠企政策，推行“免申即享”“直达快享”，降低企业制度性交易成本",
        "强化产业链招商和要素保障，支持龙头企业带动上下游配套企业集聚发展",
        "用好中国—南亚博览会等开放平台，拓展面向南亚东南亚的市场和合作渠道",
    ],
    [
        "坚持规划引领，统筹地上地下、新城老城，做到配套设施与主体工程同步规划、同步建设",
        "注重建管并重，明确建成后的管理维护主体和经费来源，避免“重建设、轻管理”",
        "运用数字化手段提升管理水平，建立问题发现、派单处置、群众评价的闭环机制",
    ],
    [
        "加强执法司法规范化建设，完善案件办理流程和监督制约机制，提升办案质效",
        "充实基层法治力量，推动法官、检察官、律师、人民调解员等力量下沉社区和乡村",
        "加强普法宣传和以案释法，引导群众依法表达诉求、依法维护权益",
    ],
    [
        "聚焦重点人群，完善精准识别和动态管理机制，做到应保尽保、应助尽助",
        "推动服务资源向社区和乡村下沉，发挥社会组织、社会工作者和志愿者作用",
        "加强部门数据共享，推行“一次办、就近办、网上办”，让群众少跑腿",
    ],
    [
        "推动优质资源扩容下沉，通过集团化办学、医联体、总分馆等方式缩小城乡和区域差距",
        "加强人才队伍建设，在编制、职称、待遇等方面向基层和一线倾斜，稳定骨干队伍",
        "深化产学研用协同和文教卫体融合，提升公共服务供给质量和群众满意度",
    ],
    [
        "坚持系统治理、源头治理，统筹山水林田湖草系统保护修复，巩固提升治理成效",
        "强化科技支撑和监测预警，加快补齐基础设施短板，提高治理的精准性和有效性",
        "健全生态补偿和多元投入机制，调动农民、村集体和社会资本参与的积极性",
    ],
    [
        "坚持把党的领导贯穿工作全过程，压实各级责任，推动各项制度落地见效",
        "创新工作方式方法，运用信息化手段提升工作效率，切实减少形式主义负担",
        "加强与人大代表和群众的沟通联系，及时听取意见建议，主动回应关切",
    ],
];

/// Third proposals (resources and long-term mechanisms); `{assist}` names the
/// assisting units, or "相关部门" when there are none.
const THIRD: [&str; 5] = [
    "加大资金和要素保障力度，积极争取中央和省级资金支持，引导社会资本参与，形成多元投入格局",
    "健全协同联动机制，{assist}要密切配合、各司其职，打通政策落地的堵点和难点",
    "健全长效机制，把工作成效纳入绩效考核，定期向市人大常委会报告进展情况，主动接受代表和群众监督",
    "注重宣传引导和公众参与，畅通意见反馈渠道，及时回应社会关切，营造良好氛围",
    "选择条件成熟的区域先行试点，及时总结经验，成熟一项推广一项，以点带面推动全市整体提升",
];

const CLOSINGS: [&str; 3] = ["", "以上建议，恳请有关部门研究办理。", "希望有关部门高度重视，切实推动问题解决。"];

/// Hand-written situation-and-proposal text for the four key suggestions,
/// keyed by topic; `{place}` is the lead deputy's area.
const KEY_BODIES: [(&str, &str); 4] = [
    (
        "推动昆明区域性国际中心城市建设",
        "建设区域性国际中心城市是昆明面向南亚东南亚开放的重要使命。近年来，我市开放通道不断拓展，中老铁路开通运营带动国际货运量快速增长，中国—南亚博览会影响力持续扩大，但与国内同类城市相比，我市在国际航线数量、外资外贸规模、国际化公共服务等方面仍有差距，辐射带动能力有待增强。为此建议：一是由市人民政府牵头编制区域性国际中心城市建设行动方案，明确产业、通道、平台和人文交流等重点任务；二是加快国际物流枢纽建设，用好中老铁路和长水国际机场，拓展面向南亚东南亚的国际航线和货运班列；三是提升城市国际化服务水平，完善国际学校、国际医疗和多语种公共服务，深化与南亚东南亚城市在教育、文化、旅游等领域的交流合作。",
    ),
    (
        "优化营商环境促进民营经济高质量发展",
        "民营经济是推动我市高质量发展的重要力量，在稳增长、促创新、扩就业方面发挥着不可替代的作用。近年来我市持续推进营商环境改革，但代表在走访{place}民营企业时了解到，政策落地“最后一公里”不畅、拖欠企业账款、融资难融资贵、涉企检查频次偏多等问题仍不同程度存在，影响企业发展信心。为此建议：一是由市人民政府统筹对标国内先进城市，开展营商环境提升行动，推动惠企政策“免申即享”；二是建立拖欠企业账款清偿长效机制，规范涉企行政检查，推行“综合查一次”；三是完善政企常态化沟通机制，畅通企业诉求反映渠道，依法平等保护民营企业产权和企业家权益，稳定企业预期。",
    ),
    (
        "加快推进城市更新和城中村改造",
        "我市主城区仍有较多城中村和老旧片区，存在房屋密集、基础设施老化、消防和地质安全隐患突出、公共服务配套不足等问题。近年来，城中村改造推进中也出现了部分项目停工停滞、资金平衡难、群众回迁安置周期长等情况，群众反映强烈。为此建议：一是由市人民政府统筹制定城市更新专项规划，坚持“留改拆”并举，分类推进城中村改造和老旧片区有机更新；二是创新投融资模式，用好专项债券、政策性金融和社会资本，统筹片区资金平衡，加快盘活停滞项目；三是把群众利益放在首位，依法保障被征收群众合法权益，加快安置房建设和回迁，同步完善教育、医疗、养老等配套设施。",
    ),
    (
        "加快推进滇池保护治理和流域生态修复",
        "滇池是昆明的母亲湖，是城市生态安全的重要屏障。经过多年系统治理，滇池水质持续改善，治理工作取得显著成效，但流域人口密集、入湖污染负荷仍然较大，湖体自净能力弱，蓝藻水华风险依然存在，治理成效尚不稳固。代表在{place}调研时了解到，部分入湖河道雨季溢流污染突出，湖滨生态带功能发挥不够，流域生态补偿机制有待完善。为此建议：一是由市人民政府统筹制定新一轮滇池保护治理行动方案，明确水质提升和生态修复目标；二是加快推进流域截污治污系统提质增效，实施雨污分流改造和调蓄设施建设，削减雨季溢流污染；三是加强湖滨湿地和生态带建设，推进流域水土保持和面源污染防治，健全上下游生态补偿和考核问责机制。",
    ),
];

const KEY_CLOSING: &str = "该项工作事关全市发展大局，建议列为市人民政府领导领衔督办的重点建议，统筹推进、加快见效。";

/// Short place name for a delegation, used in body text.
fn place_of(delegation: &str) -> &str {
    match delegation.strip_suffix("代表团") {
        Some("解放军") | None => "驻昆部队及周边社区",
        Some(place) => place,
    }
}

/// Human-readable list of unit names joined with "、".
fn unit_list(indexes: &[usize]) -> String {
    if indexes.is_empty() {
        return "相关部门".to_string();
    }
    indexes.iter().filter_map(|&u| UNIT_TABLE.get(u).map(|&(name, _)| name)).collect::<Vec<_>>().join("、")
}

/// Composes the body of a suggestion from the templates above.
fn compose_body(category: usize, index: usize, topic: &Topic, place: &str, key: bool) -> String {
    let (text, lead, assist) = *topic;
    if key {
        if let Some(&(_, body)) = KEY_BODIES.iter().find(|&&(t, _)| t == text) {
            return format!("{}{KEY_CLOSING}", body.replace("{place}", place));
        }
    }
    let lead_name = UNIT_TABLE.get(lead).map_or("相关部门", |&(name, _)| name);
    let backgrounds = &BACKGROUNDS[category];
    let background = backgrounds[index % backgrounds.len()].replace("{place}", place);
    let choice = (index * 3 + category) % (PROBLEMS.len() + 1);
    let problem = PROBLEMS.get(choice).unwrap_or(&CATEGORY_PROBLEMS[category]).replace("{topic}", text);
    let first = FIRST[(index + category) % FIRST.len()].replace("{lead}", lead_name);
    let second = SECOND[category][(index / 2) % SECOND[category].len()];
    let third = THIRD[(index * 7 + 2) % THIRD.len()].replace("{assist}", &unit_list(assist));
    let closing = if key { KEY_CLOSING } else { CLOSINGS[(index + 2 * category) % CLOSINGS.len()] };
    format!("{background}{problem}为此建议：一是{first}；二是{second}；三是{third}。{closing}")
}

// ---------------------------------------------------------------------------
// Suggestions
// ---------------------------------------------------------------------------

/// The 291 demo suggestions, grouped by category in the order of
/// [`CATEGORIES`].
#[must_use]
pub fn suggestions() -> Vec<DemoSuggestion> {
    let deputy_count = DEPUTY_NAMES.len();
    let mut out = Vec::with_capacity(CATEGORY_COUNTS.iter().sum());
    let mut global = 0usize;
    for (category, topics) in TOPICS.iter().enumerate() {
        let recess_from = topics.len().saturating_sub(RECESS_COUNTS[category]);
        for (index, topic) in topics.iter().enumerate() {
            let (text, lead_unit, assist) = *topic;
            let key = lead_unit == GOV;
            let lead_deputy = (global * 37 + 11) % deputy_count;
            let delegation = delegation_of(lead_deputy);
            // Deputies usually co-sign with colleagues of their own delegation.
            let mates: Vec<usize> =
                (0..deputy_count).filter(|&d| d != lead_deputy && delegation_of(d) == delegation).collect();
            let wanted = if key { 4 } else { (global * 7 + 3) % 5 };
            let co_signers = (0..wanted.min(mates.len())).map(|k| mates[(global + k) % mates.len()]).collect();
            let place = if text.contains("主城") { "主城区" } else { place_of(delegation) };
            out.push(DemoSuggestion {
                title: format!("关于{text}的建议"),
                body: compose_body(category, index, topic, place, key),
                category,
                meeting: index < recess_from,
                lead_deputy,
                co_signers,
                time_sensitive: global % 20 == 7,
                key,
                lead_unit,
                assist_units: assist.to_vec(),
            });
            global += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const KINDS: [&str; 7] =
        ["government", "court", "procuratorate", "party", "mass_organization", "enterprise", "other"];

    const KEY_TITLES: [&str; 4] = [
        "关于加快推进滇池保护治理和流域生态修复的建议",
        "关于推动昆明区域性国际中心城市建设的建议",
        "关于优化营商环境促进民营经济高质量发展的建议",
        "关于加快推进城市更新和城中村改造的建议",
    ];

    #[test]
    fn units_are_complete_and_unique() {
        let units = units();
        assert_eq!(units.len(), 57);
        assert_eq!(units[0].name, "昆明市人民政府");
        assert_eq!(units[0].kind, "government");
        let names: HashSet<_> = units.iter().map(|u| u.name).collect();
        assert_eq!(names.len(), units.len(), "unit names must be unique");
        for u in &units {
            assert!(KINDS.contains(&u.kind), "bad kind {} for {}", u.kind, u.name);
            assert!(!u.name.is_empty());
        }
        for kind in ["court", "procuratorate", "party", "mass_organization", "enterprise"] {
            assert!(units.iter().any(|u| u.kind == kind), "no unit of kind {kind}");
        }
    }

    #[test]
    fn committees_cover_every_category() {
        let committees = committees();
        assert!((6..=8).contains(&committees.len()));
        let names: HashSet<_> = committees.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), committees.len());
        for c in &committees {
            assert!(!c.categories.is_empty());
            for cat in c.categories {
                assert!(CATEGORIES.contains(cat), "unknown category {cat}");
            }
        }
        for cat in CATEGORIES {
            assert!(committees.iter().any(|c| c.categories.contains(&cat)), "category {cat} not covered");
        }
    }

    #[test]
    fn deputies_are_unique_and_valid() {
        let deputies = deputies();
        assert_eq!(deputies.len(), 100);
        let names: HashSet<_> = deputies.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names.len(), 100, "deputy names must be unique");
        let phones: HashSet<_> = deputies.iter().map(|d| d.phone.as_str()).collect();
        assert_eq!(phones.len(), 100, "phones must be unique");
        let delegations: HashSet<_> = DELEGATIONS.iter().map(|&(d, _)| d).collect();
        assert_eq!(DELEGATIONS.iter().map(|&(_, n)| n).sum::<usize>(), 100);
        for d in &deputies {
            let n = d.name.chars().count();
            assert!((2..=3).contains(&n), "bad name {}", d.name);
            assert!(delegations.contains(d.delegation));
            assert_eq!(d.phone.len(), 11, "bad phone {}", d.phone);
            assert!(d.phone.chars().all(|c| c.is_ascii_digit()));
            assert!(["13", "15", "18", "19"].contains(&&d.phone[..2]));
        }
        for &(name, count) in &DELEGATIONS {
            assert_eq!(deputies.iter().filter(|d| d.delegation == name).count(), count, "delegation {name}");
        }
        let surnames: HashSet<_> = deputies.iter().filter_map(|d| d.name.chars().next()).collect();
        assert!(surnames.len() >= 60, "surnames should be varied");
    }

    #[test]
    fn suggestion_counts() {
        let all = suggestions();
        assert_eq!(all.len(), 291);
        assert_eq!(CATEGORY_COUNTS.iter().sum::<usize>(), 291);
        for (cat, &count) in CATEGORY_COUNTS.iter().enumerate() {
            let in_cat: Vec<_> = all.iter().filter(|s| s.category == cat).collect();
            assert_eq!(in_cat.len(), count, "category {}", CATEGORIES[cat]);
            assert!(in_cat.iter().any(|s| !s.meeting), "no recess in {}", CATEGORIES[cat]);
        }
        assert_eq!(all.iter().filter(|s| s.meeting).count(), 270);
        assert_eq!(all.iter().filter(|s| !s.meeting).count(), 21);
        let ts = all.iter().filter(|s| s.time_sensitive).count();
        assert!((10..=20).contains(&ts), "time-sensitive count {ts}");
    }

    #[test]
    fn titles_and_bodies() {
        let all = suggestions();
        let titles: HashSet<_> = all.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles.len(), all.len(), "titles must be unique");
        let bodies: HashSet<_> = all.iter().map(|s| s.body.as_str()).collect();
        assert_eq!(bodies.len(), all.len(), "bodies must be unique");
        for s in &all {
            assert!(s.title.starts_with("关于") && s.title.ends_with("的建议"), "{}", s.title);
            let n = s.body.chars().count();
            assert!((150..=600).contains(&n), "body length {n} for {}", s.title);
            for part in ["一是", "二是", "三是"] {
                assert!(s.body.contains(part), "{} lacks {part}", s.title);
            }
            assert!(!s.body.contains('{'), "unfilled template in {}", s.title);
        }
    }

    #[test]
    fn key_suggestions() {
        let all = suggestions();
        let keys: Vec<_> = all.iter().filter(|s| s.key).collect();
        assert_eq!(keys.len(), 4);
        for s in &keys {
            assert_eq!(s.lead_unit, 0);
            assert!(s.meeting);
            assert!(KEY_TITLES.contains(&s.title.as_str()), "{}", s.title);
        }
        for title in KEY_TITLES {
            assert!(keys.iter().any(|s| s.title == title), "missing {title}");
        }
        let key_cats: Vec<_> = keys.iter().map(|s| CATEGORIES[s.category]).collect();
        assert_eq!(key_cats, ["经济建设", "经济建设", "城建交通", "农林水、生态环保"]);
    }

    #[test]
    fn indexes_are_valid() {
        let all = suggestions();
        let deputy_count = deputies().len();
        let unit_count = units().len();
        for s in &all {
            assert!(s.category < CATEGORIES.len());
            assert!(s.lead_deputy < deputy_count);
            assert!(s.co_signers.len() <= 4);
            let cs: HashSet<_> = s.co_signers.iter().collect();
            assert_eq!(cs.len(), s.co_signers.len(), "duplicate co-signer");
            for &c in &s.co_signers {
                assert!(c < deputy_count);
                assert_ne!(c, s.lead_deputy);
            }
            assert!(s.lead_unit < unit_count);
            assert!(s.assist_units.len() <= 2);
            let au: HashSet<_> = s.assist_units.iter().collect();
            assert_eq!(au.len(), s.assist_units.len(), "duplicate assist unit");
            for &a in &s.assist_units {
                assert!(a < unit_count);
                assert_ne!(a, s.lead_unit, "{}", s.title);
            }
        }
        let deps = deputies();
        for s in &all {
            for &c in &s.co_signers {
                assert_eq!(deps[c].delegation, deps[s.lead_deputy].delegation);
            }
        }
        let leads: HashSet<_> = all.iter().map(|s| s.lead_deputy).collect();
        assert_eq!(leads.len(), deputy_count, "every deputy leads something");
    }

    #[test]
    fn every_unit_leads_a_suggestion() {
        let all = suggestions();
        for (i, u) in units().iter().enumerate() {
            assert!(all.iter().any(|s| s.lead_unit == i), "{} leads nothing", u.name);
        }
    }

    #[test]
    fn deterministic() {
        assert_eq!(suggestions(), suggestions());
        assert_eq!(deputies(), deputies());
    }
}
