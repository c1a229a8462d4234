//! Top-level domains that make a bare `name.tld` a link: every country-code TLD and the common
//! generic ones (https://www.iana.org/domains/root/db). twitter-text carries the full IANA list;
//! rarer gTLDs are left out here, so such a bare domain is counted as text (a URL with a scheme
//! is always recognised, whatever its TLD).

const COUNTRY: &str = "ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo bq br bs bt bv bw \
by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gb gd \
ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp \
kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng \
ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr \
ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw";

const GENERIC: &str = "com org net edu gov mil int info biz name pro aero coop museum mobi asia tel travel jobs cat post \
app dev page blog shop store online site website tech news social xyz club live life world today space cloud design digital \
email link art agency media network studio systems solutions software games fun top vip wiki ltd inc llc company group global \
academy center church city community consulting education energy events expert finance fitness foundation gallery guide \
health help host house institute international land legal management marketing money music one partners photo photography \
photos pics pizza plus press productions properties pub radio red rocks run school science services shopping show ski solar \
style support team technology tips tools tours town toys training university video vision watch works zone eco green bio \
ninja guru rocks cafe bar restaurant coffee love family fashion beauty market sale deals review reviews careers jobs work \
chat forum tube film movie book books read reading land capital ventures fund exchange trade tax law lawyer dental clinic \
care insure bank credit loans gold golf fish farm garden kitchen recipes wine beer vegas london nyc berlin paris tokyo amsterdam";

/// Whether `label` (any case) is a TLD a bare domain may end with.
pub(super) fn is_known(label: &str) -> bool {
    let label = label.to_ascii_lowercase();
    label.starts_with("xn--") || COUNTRY.split_whitespace().chain(GENERIC.split_whitespace()).any(|tld| tld == label)
}
