//! The raw material of synthetic records: a tiny seeded PRNG, pools of Chinese names,
//! titles and sentences, and the Markdown body builder (headings, lists, a table,
//! about 600 characters).
//!
//! Pool entries go into YAML front matter unquoted, so none holds `:`, `#`, quotes,
//! brackets or a leading special character (a unit test checks).

/// xorshift64*: small, fast, good enough for test data, identical on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(splitmix64(seed) | 1)
    }

    /// An independent stream for item `i` of a seeded run, so items can be made in
    /// parallel and still be the same for the same seed.
    pub fn derive(seed: u64, stream: u64, i: u64) -> Self {
        Rng::new(splitmix64(seed ^ splitmix64(stream)) ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `n` distinct items (fewer if the pool is smaller), in pool order.
    pub fn pick_distinct<'a, T>(&mut self, items: &'a [T], n: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = Vec::with_capacity(n);
        while chosen.len() < n.min(items.len()) {
            let i = self.below(items.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| &items[i]).collect()
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Department templates: (id, name, centre or support).
pub const DEPARTMENTS: &[(&str, &str, bool)] = &[
    ("mishu", "秘书科", true),
    ("zonghe", "综合科", true),
    ("ducha", "督查科", true),
    ("xinxi", "信息科", true),
    ("zhengyan", "政策研究室", true),
    ("fagui", "法规科", true),
    ("jiedai", "接待科", false),
    ("caiwu", "财务科", false),
    ("renshi", "人事科", false),
    ("houqin", "后勤服务中心", false),
    ("dangban", "机关党委办公室", true),
    ("jiancha", "纪检监察室", true),
];

/// Surnames: (characters, pinyin).
pub const SURNAMES: &[(&str, &str)] = &[
    ("张", "zhang"),
    ("王", "wang"),
    ("李", "li"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("许", "xu"),
    ("韩", "han"),
    ("冯", "feng"),
    ("邓", "deng"),
    ("曹", "cao"),
];

/// Given names: (characters, pinyin).
pub const GIVEN_NAMES: &[(&str, &str)] = &[
    ("伟", "wei"),
    ("芳", "fang"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("丽", "li"),
    ("强", "qiang"),
    ("磊", "lei"),
    ("军", "jun"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("秀英", "xiuying"),
    ("建国", "jianguo"),
    ("丽华", "lihua"),
    ("志刚", "zhigang"),
    ("海燕", "haiyan"),
    ("晓东", "xiaodong"),
    ("文博", "wenbo"),
    ("雪梅", "xuemei"),
    ("国平", "guoping"),
    ("俊杰", "junjie"),
    ("红梅", "hongmei"),
    ("春生", "chunsheng"),
    ("思远", "siyuan"),
    ("一鸣", "yiming"),
    ("慧敏", "huimin"),
    ("宏伟", "hongwei"),
];

pub const SESSION_KINDS: &[&str] = &[
    "集中学习",
    "专题辅导",
    "交流研讨",
    "读书活动",
    "参观考察",
    "知识竞赛",
    "网络学习",
];

/// Study topics, used in titles and plan schedules.
pub const TOPICS: &[&str] = &[
    "党章党规",
    "党的二十大精神",
    "习近平新时代中国特色社会主义思想",
    "中国共产党纪律处分条例",
    "党政机关公文处理工作条例",
    "保守国家秘密法",
    "优化营商环境条例",
    "政府信息公开条例",
    "安全生产法",
    "民法典",
    "预算法实施条例",
    "干部选拔任用工作条例",
    "调查研究工作方法",
    "数字政府建设",
    "基层减负相关规定",
    "机关事务管理条例",
    "信访工作条例",
    "乡村振兴促进法",
];

pub const TAGS: &[&str] = &[
    "党的建设",
    "理论学习",
    "作风建设",
    "业务能力",
    "法治建设",
    "廉政教育",
    "调查研究",
    "数字政府",
    "乡村振兴",
    "安全生产",
    "营商环境",
    "保密工作",
    "公文写作",
    "读书分享",
];

pub const ABSENCE_REASONS: &[&str] = &[
    "病假",
    "事假",
    "公务外出",
    "参加上级业务培训",
    "下乡调研",
    "陪同领导督查",
];

pub const GUEST_SPEAKERS: &[&str] = &[
    "市委党校王教授",
    "市纪委监委宣传部负责同志",
    "市司法局法治宣传科科长",
    "市保密局业务骨干",
    "市政务服务中心主任",
    "省社科院研究员",
];

pub const MATERIALS: &[&str] = &[
    "学习辅导读本",
    "会议讲话原文",
    "典型案例汇编",
    "政策解读材料",
    "专题课件",
    "学习笔记模板",
    "知识测试题",
];

pub const ADOPTERS: &[&str] = &[
    "市委办公室《工作通讯》",
    "市政府办公室《政务信息》",
    "市直机关工委《机关党建》",
    "《学习时报》",
    "市委政研室《决策参考》",
];

pub const CASE_SUBJECTS: &[&str] = &[
    "以学促干提升公文质量",
    "建立督查事项闭环管理机制",
    "青年干部读书会常态化运行",
    "推行接待服务标准化",
    "财务报销一次办结改革",
    "信息报送质量提升行动",
    "机关食堂节约型管理",
    "政策文件解读进基层",
    "学习积分制管理",
    "理论宣讲小分队进社区",
];

/// Sentences for body paragraphs; about 30 characters each.
pub const SENTENCES: &[&str] = &[
    "会议强调，要把理论学习作为首要政治任务，做到学思用贯通、知信行统一。",
    "大家一致认为，学习必须联系本职工作实际，切实把学习成果转化为推动工作的具体举措。",
    "通过集中学习，同志们进一步加深了对政策文件精神实质的理解和把握。",
    "要坚持问题导向，聚焦群众反映强烈的突出问题，拿出务实管用的解决办法。",
    "部分同志在发言中指出，过去学习存在重形式、轻效果的情况，今后要着力加以改进。",
    "科室负责同志要带头学、带头讲、带头用，发挥好示范引领作用。",
    "要把学习成效体现在提高文稿质量、提升办事效率、改进服务态度上。",
    "会上还通报了上一阶段学习计划执行情况，对落实较好的科室给予表扬。",
    "下一步，将结合年度重点工作，分专题开展学习研讨，确保学习不走过场。",
    "同志们表示，要以这次学习为契机，在各自岗位上勇于担当、积极作为。",
    "要严格落实学习考勤和笔记检查制度，确保学习时间、人员、内容、效果四落实。",
    "学习中，大家结合近期办理的具体事项，交流了经验做法和存在的不足。",
    "通过深入研讨，进一步统一了思想，明确了下一阶段工作的方向和重点。",
    "要注重运用典型案例开展警示教育，做到以案为鉴、以案促改、以案促治。",
    "坚持把调查研究作为基本功，多到基层一线听取意见，掌握第一手材料。",
    "要发扬钉钉子精神，对已经确定的工作任务一抓到底、抓出成效。",
    "会议要求，各科室要对照学习内容查找差距，列出问题清单，明确整改时限。",
    "大家普遍反映，此次辅导内容针对性强，对做好日常工作很有帮助。",
    "要把严的基调、严的措施、严的氛围长期坚持下去，持续改进机关作风。",
    "通过读原著、学原文、悟原理，不断提高运用理论指导实践的能力。",
    "要坚持从群众中来、到群众中去，把群众满意作为检验工作的根本标准。",
    "今年以来，科室围绕中心工作，坚持每月至少开展一次集中学习。",
    "在学习形式上，采取领学、自学、研讨、测试相结合的方式，增强学习实效。",
    "要加强学习成果运用，形成一批有分量、有见地的调研报告和理论文章。",
    "部分年轻同志表示，通过学习增强了做好本职工作的责任感和使命感。",
    "要把学习与业务培训结合起来，着力提升干部的专业素养和履职能力。",
    "会议对下一阶段学习作出安排，明确了学习专题、时间节点和责任人。",
    "实践证明，只有把学习抓在日常、严在经常，才能真正取得实效。",
    "要坚持边学边改、立行立改，推动学习教育成果落地见效。",
    "要认真梳理工作中的堵点难点，以学习促进制度机制创新。",
    "这项做法实施以来，办事效率明显提高，服务对象满意度持续上升。",
    "该做法得到了上级部门的充分肯定，并在全系统推广。",
    "今后要进一步总结经验，完善配套制度，推动工作常态化长效化。",
    "在推进过程中，注重发挥党员先锋模范作用，形成了比学赶超的良好氛围。",
    "要清醒看到，与上级要求和群众期盼相比，我们的工作还有一定差距。",
    "必须把纪律和规矩挺在前面，守住底线、不越红线。",
];

/// Short phrases for list items.
pub const LIST_ITEMS: &[&str] = &[
    "传达学习上级有关会议精神",
    "原文领学重点篇目",
    "结合工作实际交流学习体会",
    "通报上一阶段学习计划落实情况",
    "开展学习效果随堂测试",
    "部署下一阶段学习任务",
    "观看警示教育专题片",
    "科室负责同志作总结讲话",
    "梳理问题清单并明确整改措施",
    "组织青年干部进行专题发言",
    "检查个人学习笔记",
    "征集意见建议",
];

/// Section headings per kind of body.
pub const MINUTES_HEADINGS: &[&str] = &["会议议程", "主要内容", "出勤与学时", "讨论发言"];
pub const ESSAY_HEADINGS: &[&str] = &[
    "一、深化思想认识",
    "二、把握核心要义",
    "三、联系工作实际",
    "四、下一步努力方向",
];
pub const CASE_HEADINGS: &[&str] = &["基本情况", "主要做法", "取得成效", "经验启示"];
pub const PLAN_HEADINGS: &[&str] = &["指导思想", "学习内容", "方法步骤", "工作要求"];

/// What shapes a body: its headings and the table it carries.
pub struct BodyShape<'a> {
    pub headings: &'a [&'a str],
    pub table_head: &'a [&'a str],
    pub table_rows: Vec<Vec<String>>,
}

/// A Markdown body of about 600 characters: an opening paragraph, then four sections
/// (one with a list, one with the table), varied by `rng`.
pub fn body(rng: &mut Rng, shape: &BodyShape) -> String {
    let mut out = String::with_capacity(2400);
    paragraph(rng, &mut out, 2);
    for (i, heading) in shape.headings.iter().enumerate() {
        out.push_str("\n## ");
        out.push_str(heading);
        out.push_str("\n\n");
        match i {
            0 => {
                let n = rng.range(3, 5);
                for (n, item) in rng.pick_distinct(LIST_ITEMS, n).iter().enumerate() {
                    out.push_str(&format!("{}. {item}；\n", n + 1));
                }
            }
            2 => {
                paragraph(rng, &mut out, 1);
                out.push('\n');
                table(&mut out, shape.table_head, &shape.table_rows);
            }
            _ => {
                let n = rng.range(2, 4);
                paragraph(rng, &mut out, n);
                if rng.chance(40) {
                    out.push('\n');
                    for item in rng.pick_distinct(LIST_ITEMS, 2) {
                        out.push_str(&format!("- **{item}**：{}\n", rng.pick(SENTENCES)));
                    }
                }
            }
        }
    }
    out
}

fn paragraph(rng: &mut Rng, out: &mut String, sentences: usize) {
    for _ in 0..sentences {
        out.push_str(rng.pick::<&str>(SENTENCES));
    }
    out.push('\n');
}

fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    out.push_str(&format!("| {} |\n", head.join(" | ")));
    out.push_str(&format!("|{}\n", " --- |".repeat(head.len())));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_streams_differ() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(7).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut x = Rng::derive(7, 1, 0);
        let mut y = Rng::derive(7, 1, 1);
        assert_ne!(x.next_u64(), y.next_u64());
        let mut r = Rng::new(3);
        assert!((0..1000).all(|_| r.range(2, 4) >= 2 && r.range(2, 4) <= 4));
    }

    #[test]
    fn pool_entries_are_safe_as_plain_yaml_scalars() {
        let pools: [&[&str]; 9] = [
            SESSION_KINDS,
            TOPICS,
            TAGS,
            ABSENCE_REASONS,
            GUEST_SPEAKERS,
            MATERIALS,
            ADOPTERS,
            CASE_SUBJECTS,
            SENTENCES,
        ];
        for entry in pools.iter().flat_map(|p| p.iter()) {
            assert!(
                !entry.contains(&[':', '#', '"', '\'', '[', ']', '{', '}', ',', '|', '&', '*'][..]),
                "{entry}"
            );
        }
    }

    #[test]
    fn bodies_are_about_six_hundred_characters() {
        let mut rng = Rng::new(1);
        let shape = BodyShape {
            headings: MINUTES_HEADINGS,
            table_head: &["项目", "人数"],
            table_rows: vec![vec!["应到".into(), "6".into()]],
        };
        let lengths: Vec<usize> = (0..200)
            .map(|_| body(&mut rng, &shape).chars().count())
            .collect();
        let mean = lengths.iter().sum::<usize>() / lengths.len();
        assert!((450..=800).contains(&mean), "mean body length {mean}");
    }
}
