//! The payload of each inject kind, typed. A scenario writes `payload = {…}`
//! beside `kind`; [`Payload::parse`] reads it into the struct of that kind, so a
//! misspelt or missing field is found by `borasen drill check` with its line.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::limits;
use super::scenario::InjectKind;
use crate::dispatch::Outcome;
use crate::needs::form::NeedForm;
use crate::needs::{Category, Damage, Parking, ReceivedVia};

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payload {
    VolunteerArrival(Arrival),
    HouseholdRequest(Box<Call>),
    SurveyResult(Survey),
    NeedUpdate(NeedChange),
    NeedCancel(NeedCancel),
    TeamReport(TeamReport),
    EquipmentShortage(Shortage),
    EquipmentReturn(ItemsBack),
    WeatherWarning(Warning),
    Inquiry(Inquiry),
    IctOutage(Outage),
    SituationUpdate(Situation),
}

impl Payload {
    /// Reads `table` as the payload of `kind`; the error names the field.
    pub fn parse(kind: InjectKind, table: &toml::Table) -> Result<Payload, String> {
        fn read<T: serde::de::DeserializeOwned>(table: &toml::Table) -> Result<T, String> {
            toml::Value::Table(table.clone()).try_into::<T>().map_err(|e| e.message().to_string())
        }
        Ok(match kind {
            InjectKind::VolunteerArrival => Payload::VolunteerArrival(read(table)?),
            InjectKind::HouseholdRequest => Payload::HouseholdRequest(read(table)?),
            InjectKind::SurveyResult => Payload::SurveyResult(read(table)?),
            InjectKind::NeedUpdate => Payload::NeedUpdate(read(table)?),
            InjectKind::NeedCancel => Payload::NeedCancel(read(table)?),
            InjectKind::TeamReport => Payload::TeamReport(read(table)?),
            InjectKind::EquipmentShortage => Payload::EquipmentShortage(read(table)?),
            InjectKind::EquipmentReturn => Payload::EquipmentReturn(read(table)?),
            InjectKind::WeatherWarning => Payload::WeatherWarning(read(table)?),
            InjectKind::Inquiry => Payload::Inquiry(read(table)?),
            InjectKind::IctOutage => Payload::IctOutage(read(table)?),
            InjectKind::SituationUpdate => Payload::SituationUpdate(read(table)?),
        })
    }

    /// The household-request inject this one is about, if any.
    pub fn request(&self) -> Option<u32> {
        match self {
            Payload::SurveyResult(s) => Some(s.request),
            Payload::NeedUpdate(c) => Some(c.request),
            Payload::NeedCancel(c) => Some(c.request),
            Payload::TeamReport(r) => r.request,
            _ => None,
        }
    }

    /// The equipment item this one names, if any.
    pub fn item(&self) -> Option<&str> {
        match self {
            Payload::EquipmentShortage(s) => Some(&s.item),
            Payload::EquipmentReturn(b) => Some(&b.item),
            _ => None,
        }
    }

    /// The payload's counts outside their bounds ([`limits`]): (field,
    /// Japanese, English). A request's need card is checked by intake itself.
    pub fn bound_problems(&self) -> Vec<(&'static str, String, String)> {
        let mut checks: Vec<(&'static str, Option<i64>, &std::ops::RangeInclusive<i64>, &str)> = Vec::new();
        match self {
            Payload::VolunteerArrival(arrival) => return arrival.problems(),
            Payload::SurveyResult(s) => checks.push(("people", s.people, &limits::NEED_PEOPLE, "人")),
            Payload::NeedUpdate(c) => {
                checks.push(("people", c.people, &limits::NEED_PEOPLE, "人"));
                checks.push(("priority", c.priority, &limits::NEED_PRIORITY, ""));
            }
            Payload::EquipmentShortage(s) => checks.push(("qty", Some(s.qty), &limits::ITEM_QTY, "点")),
            Payload::EquipmentReturn(b) => checks.push(("qty", Some(b.qty), &limits::ITEM_QTY, "点")),
            Payload::IctOutage(o) => {
                checks.push(("minutes", Some(i64::from(o.minutes)), &limits::OUTAGE_MINUTES, "分"))
            }
            _ => {}
        }
        checks
            .into_iter()
            .filter_map(|(field, value, range, unit)| {
                value.and_then(|v| limits::out_of(field, v, range, unit)).map(|(ja, en)| (field, ja, en))
            })
            .collect()
    }

    pub fn mode(&self) -> Mode {
        match self {
            Payload::HouseholdRequest(c) => c.mode,
            Payload::SurveyResult(s) => s.mode,
            Payload::NeedUpdate(c) => c.mode,
            Payload::NeedCancel(c) => c.mode,
            Payload::TeamReport(r) => r.mode,
            Payload::EquipmentShortage(_) | Payload::EquipmentReturn(_) | Payload::VolunteerArrival(_) => Mode::Auto,
            _ => Mode::Queued,
        }
    }
}

/// How an inject reaches the system.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// A call slip or message that trainees act on (the autopilot plays them).
    #[default]
    Queued,
    /// Entered into the system directly when it fires.
    Auto,
}

/// `volunteer_arrival`: people arrive at reception with their pre-registration
/// QR codes. `count` is people; groups come as one registration each.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arrival {
    pub count: u32,
    /// Groups among them (会社・学校・団体), `group_size` people each.
    #[serde(default)]
    pub groups: u32,
    #[serde(default = "five")]
    pub group_size: u32,
    /// Individuals without ボランティア活動保険 (they enrol at the desk, or stay back).
    #[serde(default)]
    pub uninsured: u32,
    /// Individuals under 18 (with guardian consent).
    #[serde(default)]
    pub minors: u32,
    /// Individuals who have done this before.
    #[serde(default)]
    pub experienced: u32,
    /// Skills and licences: `{ "重機" = 2, "看護師" = 1 }`.
    #[serde(default)]
    pub skills: BTreeMap<String, u32>,
    /// Vehicles brought: `{ "軽トラ" = 3 }`.
    #[serde(default)]
    pub vehicles: BTreeMap<String, u32>,
    /// Groups without insurance (see [`super::arrival_groups`]).
    #[serde(default)]
    pub groups_uninsured: u32,
    /// Members under 18 in each group (a school group).
    #[serde(default)]
    pub group_minors: u32,
    /// The groups' vehicles, one a group: `{ "マイクロバス" = 1 }`.
    #[serde(default)]
    pub group_vehicles: BTreeMap<String, u32>,
}

fn five() -> u32 {
    5
}

impl Arrival {
    pub fn individuals(&self) -> i64 {
        i64::from(self.count) - i64::from(self.groups) * i64::from(self.group_size)
    }

    /// What is out of bounds or does not add up, for `drill check`:
    /// (field, Japanese, English). Bounds are in [`limits`].
    pub fn problems(&self) -> Vec<(&'static str, String, String)> {
        let mut found = Vec::new();
        let bounds = [
            ("count", self.count, &limits::ARRIVAL_COUNT, "人"),
            ("groups", self.groups, &limits::ARRIVAL_GROUPS, "組"),
            ("uninsured", self.uninsured, &limits::ARRIVAL_TRAIT, "人"),
            ("minors", self.minors, &limits::ARRIVAL_TRAIT, "人"),
            ("experienced", self.experienced, &limits::ARRIVAL_TRAIT, "人"),
        ];
        for (field, value, range, unit) in bounds {
            if let Some((ja, en)) = limits::out_of(field, i64::from(value), range, unit) {
                found.push((field, ja, en));
            }
        }
        if self.groups > 0
            && let Some((ja, en)) = limits::out_of("group_size", i64::from(self.group_size), &limits::GROUP_SIZE, "人")
        {
            found.push(("group_size", ja, en));
        }
        for (field, listed) in [("skills", &self.skills), ("vehicles", &self.vehicles)] {
            if listed.len() > limits::MAX_TRAIT_KINDS {
                let max = limits::MAX_TRAIT_KINDS;
                found.push((
                    field,
                    format!("{field} は{max}種類までです（上限 {max}、{}種類あります）", listed.len()),
                    format!("{field} lists at most {max} kinds (at most {max}; {} given)", listed.len()),
                ));
            }
            for (name, n) in listed {
                if let Some((ja, en)) =
                    limits::out_of(&format!("{field}.{name}"), i64::from(*n), &limits::ARRIVAL_TRAIT, "人")
                {
                    found.push((field, ja, en));
                }
            }
        }
        if !found.is_empty() {
            return found;
        }
        let individuals = self.individuals();
        if individuals < 0 {
            let grouped = i64::from(self.groups) * i64::from(self.group_size);
            found.push((
                "groups",
                format!("groups × group_size（{grouped}人）が count（{}人）を超えています", self.count),
                format!("groups × group_size ({grouped}) exceeds count ({})", self.count),
            ));
            return found;
        }
        let special = [("uninsured", self.uninsured), ("minors", self.minors), ("experienced", self.experienced)];
        let listed = self
            .skills
            .iter()
            .map(|(k, v)| ("skills", k.as_str(), *v))
            .chain(self.vehicles.iter().map(|(k, v)| ("vehicles", k.as_str(), *v)));
        for (field, name, n) in special.into_iter().map(|(f, n)| (f, f, n)).chain(listed) {
            if i64::from(n) > individuals {
                // Said where a group's own go: `minors = 24` for a school group was the old mistake.
                let (hint_ja, hint_en) = match field {
                    "minors" | "uninsured" | "vehicles" if self.groups > 0 => (
                        "。団体の分は group_minors・groups_uninsured・group_vehicles に書きます".to_string(),
                        "; a group's go in group_minors, groups_uninsured, group_vehicles".to_string(),
                    ),
                    _ => (String::new(), String::new()),
                };
                found.push((
                    field,
                    format!("{name}（{n}人）が個人の人数（{individuals}人）を超えています{hint_ja}"),
                    format!("{name} ({n}) exceeds the individuals ({individuals}){hint_en}"),
                ));
            }
        }
        found.extend(super::arrival_groups::problems(self));
        found
    }
}

/// `household_request`: a household asks for help (a need card).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// `queued` (default): a call slip waiting at the needs desk; `auto`: entered as it fires.
    #[serde(default)]
    pub mode: Mode,
    /// `card` (default): the slip carries the card as written; `caller`: the caller's words only.
    #[serde(default)]
    pub slip: super::slip::Slip,
    #[serde(default = "by_phone")]
    pub via: ReceivedVia,
    pub name: String,
    #[serde(default)]
    pub furigana: String,
    #[serde(default)]
    pub phone: String,
    pub address: String,
    #[serde(default)]
    pub town: String,
    /// A zone of the seed map, when the caller's place is known.
    pub zone: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    #[serde(default)]
    pub elderly_only: bool,
    #[serde(default)]
    pub needs_care: bool,
    #[serde(default)]
    pub household: String,
    #[serde(default)]
    pub damage: Vec<Damage>,
    pub categories: Vec<Category>,
    #[serde(default = "three")]
    pub people: i64,
    #[serde(default = "one")]
    pub days: i64,
    #[serde(default)]
    pub equipment: Vec<String>,
    pub parking: Option<Parking>,
    #[serde(default = "three")]
    pub priority: i64,
    #[serde(default)]
    pub notes: String,
}

fn by_phone() -> ReceivedVia {
    ReceivedVia::Phone
}
fn three() -> i64 {
    3
}
fn one() -> i64 {
    1
}

impl Call {
    /// The need card a trainee (or the autopilot) writes from this call.
    pub fn to_form(&self) -> NeedForm {
        NeedForm {
            received_via: Some(self.via),
            requester_name: self.name.clone(),
            requester_furigana: self.furigana.clone(),
            phone: self.phone.clone(),
            address: self.address.clone(),
            town: self.town.clone(),
            lat: self.lat,
            lon: self.lon,
            zone: self.zone.clone(),
            elderly_only: self.elderly_only,
            needs_care: self.needs_care,
            household_notes: self.household.clone(),
            damage: self.damage.clone(),
            categories: self.categories.clone(),
            people_needed: Some(self.people),
            days_estimated: Some(self.days),
            equipment: self.equipment.clone(),
            parking: self.parking,
            priority: Some(self.priority),
            notes: self.notes.clone(),
            // A drill's households call once each; similar addresses are not twins.
            force_new: true,
            ..NeedForm::default()
        }
    }
}

/// `survey_result`: the 現地調査 of a requested need comes back.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    /// The `household_request` inject whose need was surveyed.
    pub request: u32,
    #[serde(default)]
    pub mode: Mode,
    #[serde(default = "survey_team")]
    pub surveyor: String,
    pub findings: String,
    #[serde(default)]
    pub hazards: String,
    /// A changed estimate of people needed.
    pub people: Option<i64>,
}

fn survey_team() -> String {
    "調査班".into()
}

/// `need_update`: the household calls again with changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedChange {
    pub request: u32,
    #[serde(default)]
    pub mode: Mode,
    pub priority: Option<i64>,
    pub people: Option<i64>,
    pub notes: Option<String>,
}

/// `need_cancel`: the household no longer needs help.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedCancel {
    pub request: u32,
    #[serde(default)]
    pub mode: Mode,
    pub reason: String,
}

/// `team_report`: a team phones in from the site.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamReport {
    /// The team out on this request's need; absent: the team out longest.
    pub request: Option<u32>,
    /// `queued`: the team comes back and reception of the report is the trainees';
    /// `auto`: the return is recorded as it fires.
    #[serde(default)]
    pub mode: Mode,
    #[serde(default = "done")]
    pub outcome: Outcome,
    /// けが・事故; empty when none.
    #[serde(default)]
    pub injury: String,
    /// With an injury: people hurt (at most the team's head count).
    #[serde(default)]
    pub injured: Option<i64>,
    /// With an injury: `first_aid`, `clinic`, `ambulance` or `no_injury`.
    #[serde(default)]
    pub severity: Option<crate::dispatch::injury::Severity>,
    #[serde(default)]
    pub report: String,
}

fn done() -> Outcome {
    Outcome::Done
}

/// `equipment_shortage`: stock at the center is found broken or missing.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shortage {
    pub item: String,
    /// How many are found unusable (written off as damaged).
    pub qty: i64,
    #[serde(default = "broken")]
    pub reason: String,
}

fn broken() -> String {
    "破損が見つかった（訓練）".into()
}

/// `equipment_return`: equipment comes back to the center (lent to another
/// center, a previous day's loan, a donation arriving).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemsBack {
    pub item: String,
    pub qty: i64,
    #[serde(default)]
    pub from: String,
}

/// `weather_warning`: 注意報・警報; should lead to 活動中止.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// 「大雨警報」「熱中症警戒アラート」
    #[serde(default)]
    pub warning: String,
}

/// `inquiry`: a phone call from the media or the public.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inquiry {
    /// 「報道（地元テレビ）」「住民」
    #[serde(default)]
    pub caller: String,
    #[serde(default)]
    pub question: String,
}

/// `ict_outage`: desks go offline for `minutes` (see [`super::outage`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    /// 「受付タブレット2」
    #[serde(default)]
    pub device: String,
    #[serde(default)]
    pub minutes: u32,
    /// The desks cut off; none named: the desks of the inject's section.
    #[serde(default)]
    pub desks: Vec<super::desks::Desk>,
}

/// `situation_update`: news for the trainees; the message says it all.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Situation {}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        text.parse().unwrap()
    }

    #[test]
    fn each_kind_reads_its_own_fields_and_refuses_others() {
        let arrival = Payload::parse(InjectKind::VolunteerArrival, &table("count = 12\ngroups = 1\nuninsured = 2"));
        assert!(matches!(arrival, Ok(Payload::VolunteerArrival(Arrival { count: 12, groups: 1, group_size: 5, .. }))));
        let typo = Payload::parse(InjectKind::VolunteerArrival, &table("cuont = 12")).unwrap_err();
        assert!(typo.contains("cuont"), "{typo}");
        let call = Payload::parse(
            InjectKind::HouseholdRequest,
            &table("name = \"山田\"\naddress = \"金沢市\"\ncategories = [\"泥出し\", \"debris\"]\nmode = \"auto\""),
        )
        .unwrap();
        let Payload::HouseholdRequest(call) = call else { panic!() };
        assert_eq!(call.categories, vec![Category::Mud, Category::Debris]);
        assert_eq!(call.mode, Mode::Auto);
        assert!(Payload::parse(InjectKind::NeedCancel, &table("reason = \"x\"")).unwrap_err().contains("request"));
    }

    #[test]
    fn arrivals_that_do_not_add_up_are_named() {
        let a = |t: &str| match Payload::parse(InjectKind::VolunteerArrival, &table(t)).unwrap() {
            Payload::VolunteerArrival(a) => {
                a.problems().into_iter().map(|(field, _, en)| format!("{field}: {en}")).collect::<Vec<_>>()
            }
            _ => unreachable!(),
        };
        assert!(a("count = 20\ngroups = 2\nuninsured = 3").is_empty());
        assert!(a("count = 8\ngroups = 2")[0].contains("group_size"));
        assert!(a("count = 10\ngroups = 1\nuninsured = 6")[0].starts_with("uninsured"));
        assert!(a("count = 5000").is_empty());
        assert!(a("count = 5001")[0].starts_with("count") && a("count = 5001")[0].contains("5,000"));
        assert!(a("count = 99999999")[0].contains("at most 5,000"));
        assert!(a("count = 4000000000\ngroups = 4000000000\ngroup_size = 4000000000").len() >= 3, "no overflow");
        assert!(a("count = 30\nvehicles = { \"軽トラ\" = 31 }")[0].starts_with("vehicles"));
    }
}
