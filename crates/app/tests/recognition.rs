//! Recognition over real databases: kudos with values to the team or the whole
//! organization and who sees them, points and badges, the monthly allowance, a reward menu
//! with stock, redemptions held and approved or rejected (points and stock given back), and
//! redeeming more points than one has refused with nothing written.

mod common;

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use waymark_app::policy::Actor;
use waymark_app::recognition::{KudosInput, RedemptionDecisionInput, RewardInput, ValueInput};
use waymark_app::{App, AppError};
use waymark_store::{Db, dual_test};

use common::{Demo, fields, monday_demo};

fn thanks(to: &[Uuid], values: &[Uuid], audience: &str) -> KudosInput {
    KudosInput {
        recipient_ids: to.to_vec(),
        value_ids: values.to_vec(),
        message: "周末主动帮忙排查了支付超时，周一早上前恢复。".into(),
        audience: audience.into(),
    }
}

async fn feed_ids(app: &App, who: &Actor) -> Vec<Uuid> {
    app.recognition().feed(who, None).await.unwrap().into_iter().map(|k| k.id).collect()
}

dual_test!(r1_r2_kudos_points_badges_and_rewards, |db: Db| async move {
    // Monday 30 November 2026, 09:00 in Shanghai.
    let Demo { app, clock, manager, employee, hr, admin, .. } = monday_demo(db).await;
    let (me, boss) = (employee.employee_id.unwrap(), manager.employee_id.unwrap());
    let r = app.recognition();

    // The five default values; HR adds one, an employee may not.
    let values = r.values(&employee).await.unwrap();
    assert_eq!(values.len(), 5);
    assert_eq!(values[0].name, "客户至上");
    let v = |i: usize| values[i].id;
    let added = r
        .save_value(&hr, None, ValueInput { name: "开放透明".into(), description: String::new(), active: true })
        .await
        .unwrap();
    assert!(matches!(
        r.save_value(&employee, None, ValueInput { name: "x".into(), description: String::new(), active: true }).await,
        Err(AppError::Forbidden)
    ));
    let dup =
        r.save_value(&hr, None, ValueInput { name: "开放透明".into(), description: String::new(), active: true }).await;
    assert_eq!(fields(dup.unwrap_err()), vec![("name".into(), "value_exists".into())]);

    // The manager thanks the employee before everyone; the employee gets 10 points and a badge.
    let k1 = r.give(&manager, thanks(&[me], &[v(0), v(1)], "organization")).await.unwrap();
    assert_eq!(k1.values.len(), 2);
    let w = r.wallet(&employee).await.unwrap();
    assert_eq!((w.balance, w.received, w.badges.clone()), (10, 1, vec!["first_thanks".to_string()]));
    assert!(app.inbox().list(&employee).await.unwrap().items.iter().any(|n| n.kind == "kudos-received"));
    // Seen by HR and by a colleague elsewhere (organization-wide), not by the administrator.
    assert!(feed_ids(&app, &hr).await.contains(&k1.id));
    assert!(feed_ids(&app, &admin).await.is_empty());

    // A team kudos: the giver and the recipient see it.
    let k2 = r.give(&employee, thanks(&[boss], &[added.id], "team")).await.unwrap();
    assert!(feed_ids(&app, &manager).await.contains(&k2.id));
    assert!(feed_ids(&app, &employee).await.contains(&k2.id));

    // Bad kudos: to oneself, no value, a retired value, empty, more than ten people.
    let retired = r
        .save_value(
            &hr,
            Some(v(4)),
            ValueInput { name: values[4].name.clone(), description: String::new(), active: false },
        )
        .await
        .unwrap();
    let cases: Vec<(KudosInput, &str, &str)> = vec![
        (thanks(&[me], &[v(0)], "organization"), "recipient_ids", "kudos_to_self"),
        (thanks(&[boss], &[], "organization"), "value_ids", "required"),
        (thanks(&[boss], &[retired.id], "organization"), "value_ids", "unknown_value"),
        (KudosInput { message: " ".into(), ..thanks(&[boss], &[v(0)], "team") }, "message", "required"),
        (thanks(&[boss], &[v(0)], "everyone"), "audience", "invalid"),
    ];
    for (input, field, code) in cases {
        assert_eq!(fields(r.give(&employee, input).await.unwrap_err()), vec![(field.into(), code.into())]);
    }

    // The monthly allowance: 20 people; the employee has thanked 1.
    let others: Vec<Uuid> = waymark_store::repo::org::all_employees(&app.db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .filter(|id| *id != me && *id != boss)
        .take(20)
        .collect();
    for chunk in others[..19].chunks(10) {
        r.give(&employee, thanks(chunk, &[v(2)], "team")).await.unwrap();
    }
    assert_eq!(r.wallet(&employee).await.unwrap().allowance_left, 0);
    let over = r.give(&employee, thanks(&others[19..], &[v(2)], "team")).await.unwrap_err();
    assert_eq!(fields(over), vec![("recipient_ids".into(), "monthly_allowance".into())]);
    // In December the allowance is back.
    *clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap();
    assert_eq!(r.wallet(&employee).await.unwrap().allowance_left, 20);
    // Three kudos given (to 20 people): "generous" needs ten kudos, not ten people.
    let w = r.wallet(&employee).await.unwrap();
    assert_eq!(w.given, 3);
    assert!(!w.badges.contains(&"generous".to_string()));

    // Rewards: HR keeps the menu; an employee may not.
    let bad =
        RewardInput {
            name: "弹性休假半天".into(), description: String::new(), cost: 0, stock: None, active: true
        };
    assert_eq!(
        fields(r.save_reward(&hr, None, bad.clone()).await.unwrap_err()),
        vec![("cost".into(), "out_of_range".into())]
    );
    assert!(matches!(
        r.save_reward(&employee, None, RewardInput { cost: 10, ..bad.clone() }).await,
        Err(AppError::Forbidden)
    ));
    let leave = r.save_reward(&hr, None, RewardInput { cost: 10, stock: Some(1), ..bad.clone() }).await.unwrap();
    let seat =
        r.save_reward(&hr, None, RewardInput { name: "外部培训名额".into(), cost: 50, ..bad.clone() }).await.unwrap();

    // Redeeming more points than one has: refused, nothing held, no stock taken.
    let boss_points = r.wallet(&manager).await.unwrap().balance; // 10, from the employee's thanks
    assert_eq!(boss_points, 10);
    let e = r.redeem(&manager, seat.id).await.unwrap_err();
    assert_eq!(fields(e), vec![("points".into(), "not_enough_points".into())]);
    assert_eq!(r.wallet(&manager).await.unwrap().balance, 10);
    // The one leave day: the manager takes it (points held), the employee finds none left.
    let asked = r.redeem(&manager, leave.id).await.unwrap();
    assert_eq!((asked.state.as_str(), r.wallet(&manager).await.unwrap().balance), ("pending", 0));
    assert_eq!(
        fields(r.redeem(&employee, leave.id).await.unwrap_err()),
        vec![("reward".into(), "out_of_stock".into())]
    );
    assert_eq!(r.wallet(&employee).await.unwrap().balance, 10, "nothing held for a refused request");

    // HR rejects with a note: the points and the stock come back; deciding twice is refused.
    assert!(r.redemptions(&hr, true).await.unwrap().iter().any(|p| p.id == asked.id));
    assert!(matches!(r.redemptions(&employee, true).await, Err(AppError::Forbidden)));
    let no_note =
        r.decide(&hr, asked.id, RedemptionDecisionInput { approve: false, note: " ".into() }).await.unwrap_err();
    assert_eq!(fields(no_note), vec![("note".into(), "required".into())]);
    let rejected = r
        .decide(&hr, asked.id, RedemptionDecisionInput { approve: false, note: "本月排班已满，请下月再申请".into() })
        .await
        .unwrap();
    assert_eq!(rejected.state, "rejected");
    assert_eq!(r.wallet(&manager).await.unwrap().balance, 10);
    let again =
        r.decide(&hr, asked.id, RedemptionDecisionInput { approve: true, note: String::new() }).await.unwrap_err();
    assert_eq!(fields(again), vec![("redemption".into(), "decided".into())]);
    assert!(app.inbox().list(&manager).await.unwrap().items.iter().any(|n| n.kind == "redemption-rejected"));
    // Stock back: the employee redeems it now, and HR approves.
    let mine = r.redeem(&employee, leave.id).await.unwrap();
    let approved =
        r.decide(&hr, mine.id, RedemptionDecisionInput { approve: true, note: String::new() }).await.unwrap();
    assert_eq!(approved.state, "approved");
    assert_eq!(r.wallet(&employee).await.unwrap().balance, 0);
    assert_eq!(r.rewards(&employee).await.unwrap().iter().find(|w| w.id == leave.id).unwrap().stock, Some(0));
    // The ledger tells the story: +10 kudos, -10 redemption.
    let history: Vec<(i64, String)> =
        r.wallet(&employee).await.unwrap().history.into_iter().map(|h| (h.delta, h.reason)).collect();
    assert_eq!(history, vec![(-10, "redemption".to_string()), (10, "kudos".to_string())]);
    // Not the administrator's business, nor a manager's.
    assert!(matches!(
        r.decide(&manager, mine.id, RedemptionDecisionInput { approve: true, note: String::new() }).await,
        Err(AppError::NotFound(_))
    ));
});
