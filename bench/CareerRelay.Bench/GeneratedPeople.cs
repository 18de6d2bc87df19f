using CareerRelay.Web.Features.Candidates;
using CareerRelay.Web.Features.Jobs;
using CareerRelay.Web.Features.Matching;

namespace CareerRelay.Bench;

/// <summary>
/// Deterministic synthetic candidates and jobs for the P5 benchmark: twelve kinds of work, each with its 職業分類 code,
/// skills and career phrases in Japanese and English; prefectures weighted towards the big cities. No real person.
/// </summary>
public static class GeneratedPeople
{
    private sealed record Kind(string Code, string[] Titles, string[] Skills, string[] PhrasesJa, string[] PhrasesEn);

    private static readonly Kind[] Kinds =
    [
        new("009", ["バックエンドエンジニア", "Webアプリケーションエンジニア", "Software Engineer"], ["C#", "Java", "Python", "Go", "TypeScript", "PostgreSQL", "MySQL", "AWS", "Docker", "Kubernetes"],
            ["業務システムの設計と開発", "APIサーバーの開発と運用", "コードレビューとテスト自動化", "クラウドへの移行を担当", "チームリーダーとして5名をまとめた"],
            ["designed and built REST APIs", "migrated services to the cloud", "led code reviews and test automation", "owned the payment service"]),
        new("010", ["インフラエンジニア", "社内SE", "Infrastructure Engineer"], ["Linux", "AWS", "ネットワーク", "Windows Server", "Kubernetes", "Terraform"],
            ["サーバーとネットワークの構築・運用", "社内ヘルプデスクと資産管理", "監視の仕組みを整備", "障害対応の手順を整えた"],
            ["ran Linux servers and networks", "built monitoring and on-call rotas", "managed the internal help desk"]),
        new("048", ["法人営業", "ルート営業", "Account Executive"], ["法人営業", "新規開拓", "提案営業", "Salesforce", "Excel", "英語"],
            ["中小企業向けの法人営業", "新規開拓で年間目標を達成", "既存顧客のフォローと提案", "代理店との関係づくり"],
            ["B2B sales to mid-sized companies", "exceeded the annual new-business target", "managed key accounts"]),
        new("045", ["販売スタッフ", "店長候補", "Store Staff"], ["接客販売", "レジ", "在庫管理", "店舗運営", "英語"],
            ["アパレル店舗での接客販売", "売場づくりと在庫管理", "アルバイトの教育を担当"],
            ["retail sales and visual merchandising", "trained part-time staff"]),
        new("038", ["経理", "会計スタッフ", "Accountant"], ["経理", "簿記2級", "Excel", "月次決算", "freee", "英語"],
            ["月次・年次決算の担当", "売掛金と買掛金の管理", "経費精算のシステム化"],
            ["monthly and annual closing", "accounts payable and receivable", "introduced cloud accounting"]),
        new("033", ["人事", "採用担当", "HR Generalist"], ["人事", "採用", "労務", "Excel", "社会保険"],
            ["新卒・中途採用の企画と運用", "労務管理と社会保険の手続き", "評価制度の見直し"],
            ["ran graduate and mid-career hiring", "payroll and social insurance"]),
        new("034", ["一般事務", "営業事務", "Office Administrator"], ["Excel", "Word", "データ入力", "電話応対", "受発注"],
            ["受発注と請求書の作成", "電話応対と来客対応", "資料作成とデータ入力"],
            ["order processing and invoicing", "front desk and phone support"]),
        new("023", ["看護師", "病棟看護師", "Registered Nurse"], ["看護", "正看護師", "病棟", "訪問看護"],
            ["急性期病棟での看護", "訪問看護で在宅療養を支援", "新人看護師の指導"],
            ["acute care ward nursing", "home visit nursing"]),
        new("050", ["介護職員", "介護福祉士", "Care Worker"], ["介護", "介護福祉士", "初任者研修", "送迎"],
            ["特別養護老人ホームでの介護", "デイサービスの運営補助", "ご家族との連絡調整"],
            ["residential elderly care", "day service support"]),
        new("017", ["Webデザイナー", "UIデザイナー", "Product Designer"], ["Figma", "Photoshop", "Illustrator", "HTML", "CSS", "UI設計"],
            ["Webサイトのデザインと制作", "アプリのUI設計", "ブランドガイドラインの作成"],
            ["designed web and app interfaces", "built design systems in Figma"]),
        new("083", ["トラックドライバー", "配送ドライバー", "Truck Driver"], ["中型免許", "大型免許", "フォークリフト", "ルート配送"],
            ["中型トラックでのルート配送", "倉庫での積み込みと検品"],
            ["regional truck deliveries", "forklift loading"]),
        new("055", ["調理師", "キッチンスタッフ", "Cook"], ["調理", "調理師免許", "衛生管理", "仕込み"],
            ["和食店での調理と仕込み", "給食センターでの大量調理", "衛生管理の責任者"],
            ["cooked in a Japanese restaurant", "managed food hygiene"]),
    ];

    private static readonly string[] BigCities = ["13", "13", "13", "14", "27", "23", "11", "12", "40", "01", "26", "28"];

    public static CandidateFeatures Candidate(Random r, int i)
    {
        var kind = Kinds[r.Next(Kinds.Length)];
        var english = r.Next(10) < 3;
        var skills = Enumerable.Range(0, r.Next(2, 6)).Select(_ => kind.Skills[r.Next(kind.Skills.Length)]).Distinct().ToList();
        if (r.Next(4) == 0) skills.Add(Kinds[r.Next(Kinds.Length)].Skills[0]); // a skill from another field
        var phrases = english ? kind.PhrasesEn : kind.PhrasesJa;
        var summary = string.Join(english ? ". " : "。", Enumerable.Range(0, r.Next(2, 5)).Select(_ => phrases[r.Next(phrases.Length)]));
        var years = r.Next(0, 21);
        var history = new List<WorkHistoryItem>
        {
            new("株式会社サンプル", kind.Titles[r.Next(kind.Titles.Length)], "2018-04", null,
                english ? $"{years} years: {phrases[r.Next(phrases.Length)]}" : $"{phrases[r.Next(phrases.Length)]}に{years}年従事"),
        };
        var profile = new CandidateProfile("—", "—", null, null, r.Next(3) == 0 ? BigCities[r.Next(BigCities.Length)] : r.Next(1, 48).ToString("00"),
            kind.Titles[r.Next(kind.Titles.Length)], skills, history, summary, null, null, years, 3_000_000 + r.Next(0, 50) * 100_000,
            r.Next(5) == 0, r.Next(3) == 0 ? null : [kind.Code]);
        return CandidateFeatures.From($"cand_{i:D7}", profile);
    }

    public static Job Job(Random r, int i, DateTime now)
    {
        var kind = Kinds[r.Next(Kinds.Length)];
        var title = kind.Titles[r.Next(kind.Titles.Length)];
        var phrases = r.Next(10) < 3 ? kind.PhrasesEn : kind.PhrasesJa;
        return new Job
        {
            Id = $"job_{i:D3}", CompanyId = "company", Title = title, Prefecture = BigCities[r.Next(BigCities.Length)],
            Description = string.Join("\n", Enumerable.Range(0, 4).Select(_ => phrases[r.Next(phrases.Length)])) + "\n" + string.Join("、", kind.Skills.Take(4)) + "の経験を活かせます。",
            Skills = [.. kind.Skills.OrderBy(_ => r.Next()).Take(r.Next(1, 4))], PreferredSkills = [.. kind.Skills.OrderBy(_ => r.Next()).Take(2)],
            EmploymentType = "full_time", OccupationCode = kind.Code, YearsRequired = r.Next(0, 6), SalaryMin = 3_500_000, SalaryMax = 6_000_000 + r.Next(0, 30) * 100_000,
            RemoteAllowed = r.Next(6) == 0, Status = "open", CreatedAt = now.AddDays(-r.Next(0, 40)),
        };
    }
}
