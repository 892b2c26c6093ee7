use super::*;

/// A starter site (`jianbao init`): 综合科 (陈明, 刘洋) and 后勤科 (孙丽, 周杰).
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::scaffold::init(dir.path()).expect("init");
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

const MINUTES: &str = "综合科集中学习记录\r
\r
时　间：二〇二六年三月六日\r
地  点：三楼会议室\r
主持人：陈明\r
主讲人：市委党校王教授\r
参加人员：陈明、刘洋、孙丽\r
缺席人员：周杰（出差）\r
学习形式：集中学习\r
学时：2.5小时\r
学习材料：《中国共产党纪律处分条例》、辅导课件\r
\r
一、学习内容\r
王教授逐章解读了条例修订的主要内容，结合机关工作中的典型问题作了分析。\r
\r
二、讨论发言\r
刘洋同志谈到，要把纪律规矩落实到办文办会的每一个环节。\r
";

#[test]
fn minutes_get_their_fields_and_check_clean() {
    let site = site();
    let docs = tempfile::tempdir().expect("docs");
    let file = write(docs.path(), "jilu-0306.txt", MINUTES.as_bytes());
    let imported = import(site.path(), &[file], Options::default()).expect("import");
    assert_eq!(imported.len(), 1);
    let record = &imported[0];
    assert_eq!(record.record, "minutes/2026/03-06-jilu-0306.md");
    assert!(record.notes.is_empty(), "{:?}", record.notes);
    let text = std::fs::read_to_string(site.path().join(&record.record)).expect("written");
    for line in [
        "title: \"综合科集中学习记录\"",
        "date: 2026-03-06",
        "department: zonghe",
        "kind: 集中学习",
        "hours: 2.5",
        "host: chen-ming",
        "speaker: \"市委党校王教授\"",
        "attendees: [\"chen-ming\", \"liu-yang\", \"sun-li\"]",
        "absent: [{person: zhou-jie, reason: \"出差\"}]",
        "materials: [\"《中国共产党纪律处分条例》\", \"辅导课件\"]",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in\n{text}"
        );
    }
    // What is not a field stays in the body, in its order; the fields leave it.
    let body = text.split("---\n").nth(2).expect("body");
    assert!(
        body.starts_with("地  点：三楼会议室\n\n一、学习内容\n"),
        "{body}"
    );
    assert!(body.ends_with("每一个环节。\n"), "{body}");
    assert!(!body.contains("主持人"), "{body}");
    let diagnostics = crate::check(site.path()).expect("check");
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn gbk_text_is_read_and_unknown_names_stay_in_the_body_with_a_note() {
    let site = site();
    let docs = tempfile::tempdir().expect("docs");
    let text = "后勤科学习会议纪要\n时间：2026年4月10日下午3时\n主持人：孙丽\n参加人员：孙丽、周杰、张三\n学时：1个半小时\n\n会议传达了有关文件精神。\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the test needs non-UTF-8 bytes"
    );
    let file = write(docs.path(), "纪要.txt", &gbk);
    let imported = import(site.path(), &[file], Options::default()).expect("import");
    let record = &imported[0];
    // A stem without ASCII: the date names the file.
    assert_eq!(record.record, "minutes/2026/04-10.md");
    let text = &record.text;
    assert!(text.contains("date: 2026-04-10\n"), "{text}");
    assert!(text.contains("department: houqin\n"), "{text}");
    assert!(text.contains("hours: 1.5\n"), "{text}");
    assert!(
        text.contains("attendees: [\"sun-li\", \"zhou-jie\"]\n"),
        "{text}"
    );
    // The time of day and the unknown attendee are not lost.
    assert!(text.contains("\n时间：2026年4月10日下午3时\n"), "{text}");
    assert!(text.contains("\n参加人员：孙丽、周杰、张三\n"), "{text}");
    assert!(
        record.notes.iter().any(|n| n.contains("张三")),
        "{:?}",
        record.notes
    );
    // No session kind in the document or its title: named for a person to fill in.
    assert!(
        record.notes.iter().any(|n| n.contains("kind")),
        "{:?}",
        record.notes
    );
}

#[test]
fn an_essay_takes_its_author_and_date_from_the_lines_under_its_title() {
    let site = site();
    let docs = tempfile::tempdir().expect("docs");
    let text = "关于机关文稿质量的调研报告\n综合科 刘洋\n2026年5月8日\n\n为了解机关文稿质量现状，我们对近一年的公文进行了抽样分析，发现的主要问题集中在结构、用语和数据三个方面。\n";
    let file = write(docs.path(), "diaoyan.txt", text.as_bytes());
    let imported = import(site.path(), &[file], Options::default()).expect("import");
    let record = &imported[0];
    assert_eq!(record.record, "essays/2026-05-08-diaoyan.md");
    assert!(
        record.text.contains("author: liu-yang\n"),
        "{}",
        record.text
    );
    assert!(record.text.contains("kind: research\n"), "{}", record.text);
    assert!(record.text.ends_with("---\n为了解机关文稿质量现状，我们对近一年的公文进行了抽样分析，发现的主要问题集中在结构、用语和数据三个方面。\n"), "{}", record.text);
    let diagnostics = crate::check(site.path()).expect("check");
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
}

#[test]
fn a_dry_run_writes_nothing_and_names_never_collide() {
    let site = site();
    let docs = tempfile::tempdir().expect("docs");
    let a = write(docs.path(), "a.txt", MINUTES.as_bytes());
    let b = write(docs.path(), "b.txt", MINUTES.as_bytes());
    let dry = Options {
        kind: None,
        dry_run: true,
    };
    let planned = import(site.path(), &[a.clone(), a.clone()], dry).expect("dry run");
    assert_eq!(planned[0].record, "minutes/2026/03-06-a.md");
    assert_eq!(planned[1].record, "minutes/2026/03-06-a-2.md");
    assert!(!site.path().join("minutes/2026/03-06-a.md").exists());
    import(site.path(), std::slice::from_ref(&a), Options::default()).expect("import");
    let again = import(site.path(), &[a, b], Options::default()).expect("import again");
    assert_eq!(again[0].record, "minutes/2026/03-06-a-2.md");
    assert_eq!(again[1].record, "minutes/2026/03-06-b.md");
}

#[test]
fn a_file_that_is_not_text_writes_nothing() {
    let site = site();
    let docs = tempfile::tempdir().expect("docs");
    let good = write(docs.path(), "good.txt", MINUTES.as_bytes());
    let bad = write(
        docs.path(),
        "bad.doc",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0xFF, 0xFF],
    );
    let result = import(site.path(), &[good, bad], Options::default());
    assert!(matches!(result, Err(Error::Usage(m)) if m.contains("bad.doc")));
    assert!(!site.path().join("minutes/2026/03-06-good.md").exists());
}

#[test]
fn dates_in_the_forms_documents_use() {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    for (text, expected, rest) in [
        ("2026年3月6日", date(2026, 3, 6), ""),
        ("二〇二六年十二月二十六日上午", date(2026, 12, 26), "上午"),
        ("二○○七年三月九日", date(2007, 3, 9), ""),
        ("2026-03-06 14:30", date(2026, 3, 6), " 14:30"),
        ("2026.3.6", date(2026, 3, 6), ""),
        ("2026/11/02", date(2026, 11, 2), ""),
        ("2026年10月1号", date(2026, 10, 1), ""),
    ] {
        let (found, before, after) = find_date(text).unwrap_or_else(|| panic!("{text}"));
        assert_eq!((found, before, after), (expected, "", rest), "{text}");
    }
    assert_eq!(
        find_date("会议于2026年3月6日召开").map(|(d, before, _)| (d, before)),
        Some((date(2026, 3, 6), "会议于"))
    );
    for text in [
        "2026年13月1日",
        "2026年2月30日",
        "3月6日",
        "1234-5-6",
        "第二十六期",
    ] {
        assert!(find_date(text).is_none(), "{text}");
    }
}

#[test]
fn kinds_are_guessed_from_the_title_and_head() {
    let site = site();
    let org: OrgConfig = crate::scaffold::read_site_file(site.path(), "org.yaml").expect("org");
    let rules: Rules = crate::scaffold::read_site_file(site.path(), "rules.yaml").expect("rules");
    let names = Names::new(&org, &rules);
    for (text, kind) in [
        ("2026年综合科学习计划\n", Kind::Plan),
        ("学习“两会”精神心得体会\n作者：刘洋\n", Kind::Essay),
        ("孙丽同志先进事迹\n", Kind::Case),
        ("读书分享\n主持人：陈明\n", Kind::Minutes),
    ] {
        assert_eq!(Draft::of(text, None, &names).kind, Some(kind), "{text}");
    }
    assert_eq!(
        Draft::of("随便写写\n", Some(Kind::Case), &names).kind,
        Some(Kind::Case)
    );
}

/// A zip archive of `entries`, deflated, as Word writes a .docx.
fn zip(entries: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let (mut out, mut directory) = (Vec::new(), Vec::new());
    for (name, text) in entries {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(text.as_bytes()).expect("deflate");
        let data = encoder.finish().expect("deflate");
        let offset = out.len() as u32;
        let (size, length) = (data.len() as u32, text.len() as u32);
        let name_len = name.len() as u16;
        // Local header: signature, version, flags, method 8, time, date, crc (unchecked
        // here), sizes, name length, extra length.
        out.extend(0x0403_4b50u32.to_le_bytes());
        out.extend([20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend(size.to_le_bytes());
        out.extend(length.to_le_bytes());
        out.extend(name_len.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(name.as_bytes());
        out.extend(&data);
        directory.extend(0x0201_4b50u32.to_le_bytes());
        directory.extend([20, 0, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        directory.extend(size.to_le_bytes());
        directory.extend(length.to_le_bytes());
        directory.extend(name_len.to_le_bytes());
        directory.extend([0; 12]);
        directory.extend(offset.to_le_bytes());
        directory.extend(name.as_bytes());
    }
    let start = out.len() as u32;
    let count = entries.len() as u16;
    out.extend(&directory);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0, 0, 0, 0]);
    out.extend(count.to_le_bytes());
    out.extend(count.to_le_bytes());
    out.extend((directory.len() as u32).to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend([0, 0]);
    out
}

/// WordprocessingML paragraphs and a form table, as Word saves minutes.
fn document_xml(title: &str, rows: &[&[&str]], paragraphs: &[&str]) -> String {
    let p = |text: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
    );
    xml += &p(title);
    xml += "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>";
    for row in rows {
        xml += "<w:tr>";
        for cell in *row {
            xml += &format!("<w:tc><w:tcPr/>{}</w:tc>", p(cell));
        }
        xml += "</w:tr>";
    }
    xml += "</w:tbl>";
    for text in paragraphs {
        xml += &p(text);
    }
    xml + "</w:body></w:document>"
}

#[test]
fn a_word_form_becomes_minutes() {
    let site = site();
    let docs = tempfile::tempdir().expect("docs");
    let xml = document_xml(
        "后勤科专题辅导记录",
        &[
            &["时　间", "2026年9月18日", "地　点", "食堂二楼"],
            &["主持人", "孙丽", "主讲人", "市消防支队李队长"],
            &["参加人员", "孙丽 周杰", "学　时", "1.5"],
        ],
        &["李队长讲解了机关食堂燃气使用的安全要求&amp;应急处置。"],
    );
    let file = write(
        docs.path(),
        "xiaofang.docx",
        &zip(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", &xml),
        ]),
    );
    let imported = import(site.path(), &[file], Options::default()).expect("import");
    let record = &imported[0];
    assert_eq!(record.record, "minutes/2026/09-18-xiaofang.md");
    let text = &record.text;
    for line in [
        "date: 2026-09-18",
        "department: houqin",
        "kind: 专题辅导",
        "hours: 1.5",
        "host: sun-li",
        "speaker: \"市消防支队李队长\"",
        "attendees: [\"sun-li\", \"zhou-jie\"]",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in\n{text}"
        );
    }
    assert!(text.contains("\n地　点：食堂二楼\n"), "{text}");
    assert!(text.ends_with("安全要求&应急处置。\n"), "{text}");
    let diagnostics = crate::check(site.path()).expect("check");
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
}

#[test]
fn word_text_leaves_out_what_the_page_does_not_show() {
    let xml = "<w:body><w:p><w:r><w:t>学习</w:t></w:r><w:r><w:tab/><w:t>体会</w:t></w:r>\
               <w:del><w:r><w:delText>删掉的字</w:delText></w:r></w:del>\
               <w:r><w:instrText> PAGE </w:instrText></w:r></w:p>\
               <w:p/><w:p><w:r><w:t>第一行</w:t><w:br/><w:t>&#x7B2C;二行 &lt;完&gt;</w:t></w:r></w:p>\
               <w:tbl><w:tr><w:tc><w:p><w:r><w:t>一段很长的说明文字，不是一个表单的标签</w:t></w:r></w:p></w:tc>\
               <w:tc><w:p><w:r><w:t>第二格</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body>";
    assert_eq!(
        docx::text_of_xml(xml),
        "学习 体会\n\n第一行\n第二行 <完>\n一段很长的说明文字，不是一个表单的标签\t第二格\n"
    );
}

#[test]
fn a_zip_that_is_no_word_document_is_refused_by_name() {
    let site = site();
    let docs = tempfile::tempdir().expect("docs");
    let file = write(
        docs.path(),
        "photos.docx",
        &zip(&[("a.jpg", "not a photo")]),
    );
    let result = import(site.path(), &[file], Options::default());
    assert!(
        matches!(&result, Err(Error::Usage(m)) if m.contains("photos.docx") && m.contains("word/document.xml")),
        "{result:?}"
    );
    let old = write(
        docs.path(),
        "old.doc",
        &[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0xFF],
    );
    let result = import(site.path(), &[old], Options::default());
    assert!(
        matches!(&result, Err(Error::Usage(m)) if m.contains(".docx")),
        "{result:?}"
    );
}

#[test]
fn days_without_a_year_and_periods_of_titles() {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    for (text, expected) in [
        ("3月6日（周五）", Some(date(2026, 3, 6))),
        ("十二月二十六日", Some(date(2026, 12, 26))),
        ("3.18", Some(date(2026, 3, 18))),
        ("03-27", Some(date(2026, 3, 27))),
        ("2025年12月30日", Some(date(2025, 12, 30))),
        ("第3周", None),
        ("3.1.4", None),
        ("2月30日", None),
    ] {
        assert_eq!(dates::day_in_year(text, 2026), expected, "{text}");
    }
    for (title, period) in [
        ("综合科2026年3月学习安排", Some("2026-03")),
        ("2026年第二季度学习计划", Some("2026-Q2")),
        ("后勤科2026年三季度学习计划", Some("2026-Q3")),
        ("2026年度学习计划", Some("2026")),
        ("学习计划", None),
    ] {
        assert_eq!(dates::period_in(title).as_deref(), period, "{title}");
    }
}

#[test]
fn a_plan_table_becomes_its_schedule_and_a_markdown_table() {
    let site = site();
    let docs = tempfile::tempdir().expect("docs");
    // As Word saves a table as text: cells apart by tabs.
    let text = "综合科2026年3月学习安排\n2026年2月27日\n\n本月学习安排如下。\n\
                日期\t学习内容\t形式\t主讲人\n\
                3月6日\t学习全国两会精神\t交流研讨\t陈明\n\
                3月18日\t综合文稿质量提升\t集中学习\t市委党校张老师\n\
                待定\t参观廉政教育基地\t参观考察\t\n\
                3月27日\t数字政府专题课程\t自学\t\n\
                请各位同志按时参加。\n";
    let file = write(docs.path(), "plan-03.txt", text.as_bytes());
    let imported = import(site.path(), &[file], Options::default()).expect("import");
    let record = &imported[0];
    assert_eq!(record.record, "plans/2026-02-27-plan-03.md");
    let text = &record.text;
    for line in [
        "department: zonghe",
        "scope: department",
        "period: 2026-03",
        "schedule:",
        "  - {date: 2026-03-06, topic: \"学习全国两会精神\", kind: \"交流研讨\", speaker: \"chen-ming\"}",
        "  - {date: 2026-03-18, topic: \"综合文稿质量提升\", kind: \"集中学习\", speaker: \"市委党校张老师\"}",
        "  - {date: 2026-03-27, topic: \"数字政府专题课程\", kind: \"\"}",
        "| 日期 | 学习内容 | 形式 | 主讲人 |",
        "| --- | --- | --- | --- |",
        "| 待定 | 参观廉政教育基地 | 参观考察 |  |",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in\n{text}"
        );
    }
    assert!(text.contains("本月学习安排如下。\n\n| 日期"), "{text}");
    assert!(text.contains("|  |\n\n请各位同志按时参加。\n"), "{text}");
    let notes = record.notes.join("\n");
    assert!(notes.contains("第4行"), "{notes}");
    assert!(notes.contains("数字政府专题课程"), "{notes}");
    // The one session without a kind is the one thing check finds to fix.
    let diagnostics = crate::check(site.path()).expect("check");
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[test]
fn a_word_plan_keeps_its_table_of_sessions_as_rows() {
    let xml = document_xml(
        "后勤科2026年第二季度学习计划",
        &[
            &["日期", "学习内容", "形式", "主讲人"],
            &["4月10日", "安全生产法", "集中学习", "孙丽"],
        ],
        &[],
    );
    assert_eq!(
        docx::text_of_xml(&xml),
        "后勤科2026年第二季度学习计划\n日期\t学习内容\t形式\t主讲人\n4月10日\t安全生产法\t集中学习\t孙丽\n"
    );
}
