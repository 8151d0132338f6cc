//! Realistic Chinese titles and bodies (about 300 characters) for seeded suggestions, varied
//! deterministically by index so that rows differ the way real ones do.

const PLACES: [&str; 14] = [
    "五华区",
    "盘龙区",
    "官渡区",
    "西山区",
    "呈贡区",
    "晋宁区",
    "东川区",
    "安宁市",
    "富民县",
    "宜良县",
    "石林县",
    "嵩明县",
    "禄劝县",
    "寻甸县",
];

/// Topics per category, in the order of the default categories.
const TOPICS: [[&str; 4]; 7] = [
    ["优化营商环境促进民营经济发展", "加大对中小微企业融资支持", "推动园区产业链延链补链", "培育壮大县域特色产业"],
    ["加快推进老旧小区改造", "缓解学校周边上下学交通拥堵", "完善城市停车设施建设管理", "推进城中村改造和配套建设"],
    ["加强基层矛盾纠纷多元化解", "规范涉企行政执法检查", "加强未成年人司法保护", "提升基层公共法律服务水平"],
    ["完善社区居家养老服务体系", "加强困难群众兜底保障", "促进高校毕业生就业创业", "推进社区综合服务设施建设"],
    [
        "扩大城区普惠性学前教育资源",
        "推动优质医疗资源下沉基层",
        "加强中小学体育设施开放共享",
        "加强公共文化服务体系建设",
    ],
    ["加强入湖河道综合治理", "推进农村人居环境整治提升", "完善高标准农田建设管护", "加强城市园林绿化和公园建设"],
    ["加强基层党组织服务能力建设", "切实为基层减负增效", "提升12345热线办理质效", "加强代表联络站建设和作用发挥"],
];

const BACKGROUNDS: [&str; 4] = [
    "近年来，我市围绕{topic}出台了一系列政策措施，取得了积极成效。代表在{place}走访调研时了解到，",
    "{topic}是群众普遍关心的民生实事。代表在{place}座谈时，基层干部和群众反映，",
    "随着经济社会发展和城市规模扩大，{topic}的需求日益增长。从{place}的情况看，",
    "市委、市政府高度重视{topic}，各级各部门做了大量工作。但代表在{place}调研中发现，",
];

const PROBLEMS: [&str; 4] = [
    "相关工作仍存在规划衔接不够、投入保障不足、部门协同不畅等问题，政策落地“最后一公里”有待打通，群众获得感还不够强。",
    "部分措施针对性不强，资源配置主要集中在主城区，县区和农村覆盖不足，服务质量和群众期待之间仍有差距。",
    "现有工作机制偏重建设、轻于管理，长效运维经费来源不明确，已建成的设施使用效率不高，群众意见较大。",
    "基层力量配备不足，信息化支撑薄弱，数据共享不充分，群众办事仍需多头跑、反复跑，诉求反映渠道不够畅通。",
];

const IMPACTS: [&str; 3] = [
    "这些问题影响了群众的获得感和满意度，也制约了{topic}工作的整体成效，亟待研究解决。",
    "群众通过12345热线和代表联络站反映的相关诉求逐年增多，社会关注度较高，需要引起重视。",
    "如不及时加以解决，将影响相关政策目标的实现，也不利于提升城市治理水平和群众生活品质。",
];

const PROPOSALS: [&str; 6] = [
    "由牵头部门制定专项工作方案，明确目标任务、时间节点和责任分工，定期调度推进",
    "组织开展专题调研，摸清底数、找准症结，建立问题清单和项目清单，分类分批推进解决",
    "加大资金和要素保障力度，积极争取上级资金支持，引导社会资本参与，形成多元投入格局",
    "健全部门协同联动机制，加强数据共享和业务协同，打通政策落地的堵点和难点",
    "健全长效管护机制，明确管理维护主体和经费来源，把工作成效纳入绩效考核",
    "选择条件成熟的区域先行试点，及时总结经验，以点带面推动全市整体提升",
];

const CLOSINGS: [&str; 3] = [
    "以上建议，恳请有关部门研究办理。",
    "希望有关部门高度重视，切实推动问题解决。",
    "请有关部门认真研究，及时答复代表。",
];

fn topic(category: usize, i: usize) -> &'static str {
    TOPICS[category % TOPICS.len()][(i / TOPICS.len()) % 4]
}

pub fn title(category: usize, i: usize) -> String {
    format!("关于{}的建议", topic(category, i))
}

pub fn body(category: usize, i: usize) -> String {
    let topic = topic(category, i);
    let place = PLACES[(i / 3) % PLACES.len()];
    let background = BACKGROUNDS[i % BACKGROUNDS.len()].replace("{topic}", topic).replace("{place}", place);
    let problem = PROBLEMS[(i / 5) % PROBLEMS.len()];
    let impact = IMPACTS[(i / 11) % IMPACTS.len()].replace("{topic}", topic);
    let first = PROPOSALS[i % PROPOSALS.len()];
    let second = PROPOSALS[(i + 2) % PROPOSALS.len()];
    let third = PROPOSALS[(i + 4) % PROPOSALS.len()];
    let closing = CLOSINGS[(i / 7) % CLOSINGS.len()];
    format!("{background}{problem}{impact}为此建议：一是{first}；二是{second}；三是{third}。{closing}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn bodies_are_about_300_characters() {
        for i in 0..200 {
            let n = super::body(i % 7, i).chars().count();
            assert!((250..=400).contains(&n), "body {i} has {n} characters");
            assert!(super::title(i % 7, i).chars().count() <= 200);
        }
    }
}
