// The domain word table. Each line: comma-separated words (normalized form: simplified Chinese,
// lower-case ASCII), a space, then the meanings as KIND:a:b joined by '|'. Words holding Chinese
// numerals are also registered with digits (二开 -> 2开), because normalization turns numerals
// into digits.
#include "core/text2sql/lexicon.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "core/text2sql/entity_index.hpp"

namespace yimei::text2sql {

namespace {

constexpr const char* kTable = R"LEX(
业绩,营业额,流水,实收,实收金额,收款,收款金额,收入,营收,销售额,销售金额,消费金额,消费额,消费总额,成交额,成交金额,销售业绩,总业绩,业绩额,营业收入,进账,开单金额,开单业绩,收银,总收入,总营收,销售收入,消费总金额,业绩总额,业绩金额,营业金额,现金流水,总流水,总营业额,营业总额,销售总额,收款总额,实收总额,入账,创收,生意,gmv,销售情况,营收情况,业绩情况 M:revenue
订单数,开单数,单数,订单量,开单量,单量,笔数,订单,订单总数,成交单数,成交量,交易笔数,消费笔数,开单次数,消费次数,下单数,消费记录数,消费单数,成交笔数,购买次数,下单次数,订单笔数 M:orders
多少单,几单,多少笔,几笔,多少张单,几张单,有多少单,有几单,有多少笔,有几笔 QC|M:orders
多少件,几件,多少支,几支,多少盒,几盒,多少瓶,几瓶,多少套,几套,有多少件,有几件,有多少支,有几支,有多少盒,有几盒 QC|M:quantity
消费人数,消费客户数,到店人数,来客数,客流,成交人数,消费顾客数,购买人数,到店客户数,到店顾客数,来店人数,消费人群,客户量,客量 M:buyers
新客数,新客人数,新客户数,新顾客数,新客数量,新增顾客数,新客量,新人数 NEW|M:buyers
新客业绩,新客消费,新客收入,新客流水,新客营业额,新客消费金额 NEW|M:revenue
老客业绩,老客消费,老客收入,老客流水 OLD|M:revenue
老客数,老客人数,老客户数,老顾客数 OLD|M:buyers
新客,新顾客,新客户,新会员,新人,首次消费,首次到店,新来的,新到店,初次消费,首单 NEW|F:customer
老客,老顾客,老客户,老会员,回头客 OLD|F:customer
客单价,平均客单价,平均每单,单均,每单平均,笔单价,客单,平均订单金额,平均每笔,每单金额,平均单价,平均每单金额,单均价,客单值 M:avg_order
人均消费,人均,每人平均消费,人均消费额,人均消费金额,平均每人,每位客户平均,平均每位,人均业绩,人均贡献 M:per_customer
销量,购买数量,卖出数量,售出数量,件数,销售数量,销售量,卖出件数 M:quantity
到店人次,人次,客次,到店次数,来店人次,来店次数,到院人次 M:visits
划扣金额,划扣额,消耗金额,耗卡金额,划扣总额,消耗额,耗卡额,核销金额,消耗业绩,划卡金额,划扣业绩,耗卡业绩,消耗总额,划扣总金额,耗卡总额,消耗总金额,核销额,划扣总数,划扣合计 M:write_off_amount
划扣次数,划扣数,消耗次数,耗卡次数,核销次数,划扣笔数,划扣记录数,划卡次数,划扣单数 M:write_off_count
划扣数量,消耗数量,耗卡数量,核销数量 M:write_off_quantity
划扣人数,耗卡人数,消耗人数,划扣客户数,划扣顾客数 M:write_off_customers
余额,未划扣余额,未划扣金额,剩余金额,剩余余额,未消耗金额,卡内余额,卡里余额,卡余额,沉淀资金,待划扣,待划扣金额,未耗卡金额,剩余价值,未划余额,结余,未划扣,剩余,未消耗,未耗卡,剩余未划扣,未划扣的余额,剩余额度,余额总额,剩余总额,未划扣总额,卡内剩余,卡上余额,账户余额,储值余额,未使用金额,没划扣的余额 M:balance
总购买金额,购买总额,购卡金额 M:balance_total
客户数,顾客数,客户总数,顾客总数,会员数,会员人数,客户人数,顾客人数,客户数量,顾客数量,会员数量,会员总数,客人数 M:customer_count
咨询师人数,咨询师数量,顾问人数,咨询师数,顾问数,顾问数量,咨询师总数 M:consultant_count
品项数,项目数,产品数,品项数量,项目数量,产品数量,商品数 M:product_count
平均标价,平均价格,均价,平均售价,平均定价 M:avg_price
最近一次消费,最后一次消费,上次消费,最近消费,最后消费,最近一次购买,最后一次购买,上一次消费,最近一次买 M:last_consume
第一次消费,首次消费时间,第一次购买,最早消费,首次购买 M:first_consume
最近一次划扣,最后一次划扣,上次划扣,最近划扣 M:last_write_off
金额,总额,总金额,钱,钱数,总价,合计金额,额度,多少金额 $
多少钱,几多钱,多少块钱,多少块 QC|$
客户,顾客,客人,会员,患者,求美者,消费者,用户,客,会员客户,大客户,顾客们,客户们,个客户,名客户,位客户 F:customer
人,个人,位人 F:person
咨询师,顾问,咨询顾问,美容顾问,医美顾问,员工,老师,销售顾问,职员,同事,咨询,咨询老师 F:consultant
项目,品项,产品,商品,服务,疗程项目,治疗项目,医美项目,东西,单品,品种,货品,疗程,项 F:product
科室,部门,科,科别 F:department
品项类型,项目类型,产品类型,类型,品类,类别,种类,分类,品项分类,项目分类,卡项类型 F:product_type
会员等级,等级,会员级别,级别,卡级,会员卡等级,卡种,会员卡级别,客户等级,顾客等级 F:membership_level
什么卡,啥卡,几级,什么等级,什么级别,哪个等级,啥等级,什么会员,是什么会员,是什么卡,是什么等级,是几级,是啥会员,是啥卡,是什么级别,什么会员等级,是什么会员等级,哪一级 QA|F:membership_level
支付方式,付款方式,支付渠道,收款方式,付费方式,结算方式,支付类型,付款渠道,付款类型,收款渠道 F:payment_method
健康标签,标签,健康状况,健康情况,健康信息,身体状况,健康问题,病史,既往史 F:health_tag
注册日期,注册时间,建档日期,建档时间,入会时间,入会日期,开卡时间,注册,建档,入会,新增,新注册,新建档,登记 F:register_date
最近一次来店,上一次来店,最后一次来店,最近来店时间,上次来店时间,最近到店,最后到店,上次到店,最近一次到店,最后一次到店,上次来,最后一次来,最近到店日期,最近到店时间,最后到店时间,上次来店,最近来店,最近一次来,上一次来,上一次到店,最后来店 F:last_visit_date
电话,手机,手机号,手机号码,联系方式,电话号码,联系电话,号码 F:phone
标价,价格,标准价,标准价格,原价,定价,售价,单价,价钱,价位,标准售价,价目,官方价,门市价 F:standard_price
编号,id,号,会员号,卡号,客户编号,顾客编号 F:id
名字,姓名,叫什么,叫啥,叫什么名字,叫啥名字,什么名字,全名 F:name
有效期,到期日,到期时间,到期日期,截止日期,有效期至 F:expiration_date
天,日,日期,每日日期 F:day
周,星期,礼拜 F:week
月,月份 F:month
季度,季 F:quarter
年,年份 F:year
每天,每日,每一天,逐日,按天,按日,分天,日度,每天的,天天 X:each|F:day
每周,每个星期,每星期,按周,逐周,周度,每个礼拜,每一周,各周 X:each|F:week
每月,每个月,按月,逐月,分月,月度,各月,每一个月,各个月,每个月份,各月份,月份分别 X:each|F:month
每季度,每个季度,按季度,各季度,逐季,按季,每季,季度分别 X:each|F:quarter
每年,按年,逐年,各年,年度,每一年,各年度,每个年度 X:each|F:year
哪天,哪一天,什么时候,何时,几号,哪日,啥时候,什么日期,哪个日期,什么时间,啥时间 QD
几月,几月份,哪个月,哪个月份,哪一个月,哪月 QW|F:month
哪个季度,哪一季度,第几季度 QW|F:quarter
哪年,哪一年 QW|F:year
每,每个,每一个,每位,每名,各,各个,各位,分别,不同,各自,拆开,拆分,细分,分组,区分,分开,各家,每家,每种,各种,每类,各类,每款,各款,每项,各项,逐个,每一位,不同的,各不同 X:each
按,按照,按着,依,依照,根据,分 X:by
以上,及以上,或以上,以上的,含以上,至少,不少于,不低于,大于等于,>=,≥,满,起码,最少也,及其以上 C:>=
超过,大于,高于,多于,超出,超,>,多过,过了,高过,贵于 C:>
不到,少于,低于,小于,不足,未满,不满,<,少过,便宜于 C:<
以下,及以下,以内,之内,不超过,不高于,不多于,至多,小于等于,<=,≤,或以下,最多不超过 C:<=
没,没有,没有过,从没,从没有,从来没,从来没有,从未,未,不曾,未曾,一次都没,一次也没,一次都没有,一次也没有,一单都没,一单没,一单也没,一单都没有,一直没,一直没有,都没,都没有,还没,还没有,无,没再,再没,就没,一个都没,一笔都没,一笔没,不,没能,尚未,至今没,至今未,一回都没,一次没,一次未 N
除了,除去,除,不是,非,不含,不包括,排除,以外的,之外的,以外,之外,不属于,剔除 XC
最多,最高,最好,最大,最强,最快,最明显,最厉害,第一,冠军,排第一,卖得最好,最能卖,领先,最牛,top,头部,最猛,最旺,最佳,最优,最突出,最出色,最棒,数一数二,最赚钱,最给力 TOP:desc
最火,最热门,最畅销,最受欢迎,最好卖,卖得最多,最抢手,人气最高 TOP:desc:orders
最少,最低,最差,最小,最慢,垫底,倒数,末尾,最冷门,最不好,最弱,最惨,倒数第一 TOP:asc
最贵,最高价,价格最高,标价最高,最昂贵 TOP:desc:price
最便宜,最低价,价格最低,标价最低,最实惠 TOP:asc:price
排名,排行,排行榜,排序,排一下,排个名,排个序,名次,排名情况 TOP:desc:rank
前,排名前,排前,排行前,top前,排在前,前面 TOP:desc:front
多少,几,几个,多少个,有多少,有几个,有几,几位,几名,多少位,多少名,多少家,几家,几种,多少种,几款,多少款,几项,多少项,总数,数量,总量,是多少,有多少个,共有多少,一共有多少,共多少,多大,合计多少,总共多少,一共多少,总计多少,累计多少,有几位,有几名,有多少位,有多少名,多少条,几条 QC
多少人,几个人,几人,有多少人,多少个人,人数,总人数,有几个人,有几人,多少位客人,几位客人 QC|F:person
几次,多少次,次数,频次,多少回,几回 QT
哪些,有哪些,有什么,都有什么,有啥,哪几个,哪几位,哪几,都有谁,有谁,名单,列表,清单,明细,列一下,列出,列出来,是哪些,都有哪些,都是谁,分别是谁,哪几款,哪几种,哪些人,都有哪几位,列举,具体是谁,具体有谁,哪几家,都是哪些,罗列,给个名单,都有哪几个,哪几项,分别是哪些,都是哪几位,全部名单,客户名单,顾客名单,都有啥,有哪几个,有哪几位,哪几名 QL
哪,哪个,哪位,哪一个,哪一位,哪家,哪款,哪种,哪一款,哪一种,谁,是谁,哪个人,哪名,哪一名,是哪个,是哪位,哪一家,哪一项,哪项 QW
什么,啥,叫什么,是什么,什么样 QA
比,跟,和,与,同,较,相比,对比,比较,相较,较之,相对,对照,vs,比起,相比较,对比一下,比一比,比一下,相对于,较上,同比较 CP
差多少,差了多少,相差,相差多少,差距,差额,差值,多了多少,多多少,多出,多出多少,增长了多少,增长多少,增加了多少,增加多少,涨了多少,提升了多少,提高了多少,变化,变化了多少,变动,变化多少,多了几,多几,增加了几,多出来多少,多赚了多少,多卖了多少,高了多少,高多少,高出多少,高出,贵了多少,多了 D:diff
少了多少,少多少,少了,下降了多少,下降多少,减少了多少,减少多少,降了多少,跌了多少,下滑了多少,少了几,少几,少卖了多少,掉了多少,低了多少,低多少,便宜了多少,少赚了多少 D:diff:neg
增长率,增速,增幅,涨幅,变化率,增长百分比,百分之多少,百分之几,增长了百分之几,涨了百分之几,增加了百分之几,提升了百分之几,增长比例,增长比率,增长幅度,成长率,提升率,涨了百分之多少,增长了百分之多少,同比增幅,环比增幅,增长的百分比,变化幅度 D:rate
降幅,下降率,下滑率,跌幅,下降幅度,下降比例,减少比例 D:rate:neg
增长,增加,提升,进步,涨,上涨,成长,增多,提高,上升 D:grow
下降,下滑,减少,降低,退步,跌,下跌,萎缩 D:grow:neg
减,减去,减掉,扣除,减法 MI
同比,去年同期,上年同期,同期,同月,同一个月,同季度,同一季度 MK:yoy
环比,上期,上一期 MK:prev
二开,二开率,二次开单,二次开单率,二次消费,二次消费率,二次到店,二次到店率,二开比例,二开比率,二次购买,二次购买率,新客二开,新客二开率,二开转化率,二次成交,二次成交率 SO
复购客户数,复购人数,复购顾客数,复购数,复购的客户数 RP|M:customer_count
复购,回购,复购客户,重复购买,多次购买,复购的,复购顾客,回购客户,多次消费,重复消费,反复购买,再次购买,再次消费 RP
复购率,回购率,重复购买率,复购比例,复购占比 RP:rate
不活跃,沉睡,流失,休眠,睡眠,很久没来,长时间没来,好久没来,久未到店,长期未到店,长期没来,沉默,不常来,失联,僵尸,沉睡客户,流失客户,不活跃客户,沉睡顾客,流失顾客,长期不来,很久没到店,好久没到店,很久没消费,长期未消费 IN
名下,负责的,负责,跟进的,跟进,手下,专属,手上,归属,所属,服务的,带的,名下的,旗下,底下,管的,对接的,签约 OWN
还有剩余次数,有剩余次数,剩余次数,还有次数,还没有划扣完,没有划扣完,还没有划完,还没有用完,没有用完,还没有消耗完,没有消耗完,还没有耗完,没有耗完,还没划完,没划完,没有划完,未划完,没划扣完,未划扣完,没用完,没消耗完,未消耗完,还有余额,有余额,有剩余,还有剩余,没做完,未用完,还没用完,没耗完,未耗完,还没耗完,还没做完,没扣完,还没扣完,有未划扣,没有划扣完,还没有划完,还没划扣完,尚未划完,剩余未用,还没消耗完,余额没用完,卡没用完,还有没划完,有没划完,次数没用完,仍有余额,余额大于0,余额不为0,有未划扣余额,有未消耗 REM
单笔,一次性,单张,每笔,单条 SGL
平均,均,平均每,平均下来,日均,月均 AVG
占比,比例,比重,份额,占多少,百分比,占总数,占总额,占整体,各占,分别占,所占比例,占比多少,占比是多少 SH
消费,买,购买,买了,买过,卖,卖出,卖出去,卖出去的,售出,收,收了,收到,进了,入了,收入了,付,付的,付了,销售,成交,付款,支付,花,花费,花钱,购,做过,做了,办,办了,充值,刷,交易,卖得,卖了,消费了,花了,买单,购入,购置,下单买,消费过,购买过,光顾过,贡献,入手,付费 E:consume:revenue
开,开了,开单,下单,出单,开出,签单,成单,开过,开过单,用得,用的,用得多,使用得 E:consume:orders
到店,来,来了,来店,去过,去了,到院,来院,光顾,上门,就诊,来过,到访,进店,到诊,回店,到店消费,来消费,回来,过来,到店过,来店消费 E:visit:buyers
划扣,消耗,耗卡,核销,扣卡,划卡,划,扣,用卡,划了,扣了,用掉,耗过,耗过卡,划过,划过卡,用过卡,扣过,消卡,做掉,划扣了,消耗了,核销了,耗了,用了,划扣过,耗卡了,扣次 E:write_off:write_off_amount
到期,过期,失效,快到期,即将到期,快过期,要到期,将到期,会到期,到期的,过期的 E:expire:balance
个,位,名,款,种,家,类,只,条,张,笔 CL
的,了,过,是,有,都,呢,吗,呀,啊,吧,嘛,哦,哈,请问,请,帮我,帮忙,麻烦,查,查询,查一下,查下,看看,看一下,看下,统计,统计一下,告诉我,我想知道,想知道,想看,给我,一下,这个,那个,这位,那位,这些,那些,里面,里,中,当中,其中,之中,在,于,从,把,对,还,但是,但,并且,而且,且,又,也,就,所有,全部,全体,得,地,现在,目前,当前,截至,截止,到目前,为止,以来,期间,内,时候,情况,数据,一共,总共,合计,累计,共,总计,加起来,汇总,总,分别是,有没有,带来,产生,实现,达到,完成,能,可以,我们,咱们,店里,门店,诊所,医院,本店,全店,公司,院里,一共是,共计,那,那么,这,该,此,其,出来,起来,为,以,及,并,或,或者,以及,同时,另外,会,要,需要,想,让,给,被,来看,情况如何,具体,大概,大约,左右,差不多,一般,通常,到底,究竟,你,我,他,她,它,们,谢谢,好的,一些,下,上,了吗,的话,吗?,之前,以前,之后,以后,到现在,至今,迄今,为止的,目前为止,截至目前,截止目前,至此,怎么样,如何,咋样,好不好,怎样,多不多,高不高,咋了,整体,总体,整个,全院,全部的,全都,一起,一并,算上,算,计算,算一下,求,求一下,统计下,查查,查看,查看一下,显示,展示,给出,分析,分析一下,看,瞧瞧,报一下,说一下,说说,讲讲,里头,里边,之间,有关,相关,关于,对于,按时间,目前的,现有,现有的,已经,已,曾经,曾,仍然,仍,依然,还是,是否,一样,这样,那样,还剩,剩下,总的,总共是,共有,情况是,我要,我想,帮忙查,请帮我,麻烦查,麻烦看,查一查,看一看,到底是,总体上,一直,始终,所以,因此,并且是,当月,单个,每次,一次,这周到目前,到目前为止,里的,中的,一下子,一下下,具体的,哪里,这边,那边,全,各方面,全年,整年,全月,整月,全天,整天,其他,其余,别的,剩下的,用,属于,归于,隶属,隶属于,通过,经由,使用,采用,在职,在岗,目前在职,身上,一整年,整整一年,全年度,只看,只要,只,仅,仅看,光看,单看,只算,只统计,换成,改成,再看,再,换,改,却,而,可是,然而,记录,数据里,系统里 _
)LEX";

TokKind kind_of(const std::string& code) {
  static const std::map<std::string, TokKind> kCodes = {
      {"M", TokKind::Measure},     {"$", TokKind::Money},     {"F", TokKind::Field},
      {"E", TokKind::Event},       {"X", TokKind::Each},      {"C", TokKind::Cmp},
      {"N", TokKind::Neg},         {"XC", TokKind::Exclude},  {"TOP", TokKind::Top},
      {"QC", TokKind::QCount},     {"QL", TokKind::QList},    {"QW", TokKind::QWhich},
      {"QD", TokKind::QWhen},      {"QA", TokKind::QWhat},    {"QT", TokKind::QTimes},
      {"CP", TokKind::Compare},    {"D", TokKind::Diff},      {"MI", TokKind::Minus},
      {"NEW", TokKind::New},       {"OLD", TokKind::Old},     {"SO", TokKind::SecondOpen},
      {"RP", TokKind::Repurchase}, {"IN", TokKind::Inactive}, {"OWN", TokKind::Own},
      {"REM", TokKind::Remaining}, {"SGL", TokKind::Single},  {"AVG", TokKind::Avg},
      {"CL", TokKind::Classifier}, {"P", TokKind::Punct},     {"_", TokKind::Filler},
      {"MK", TokKind::Marker},     {"SH", TokKind::Share},
  };
  auto it = kCodes.find(code);
  if (it == kCodes.end()) throw std::logic_error("lexicon: unknown kind " + code);
  return it->second;
}

std::vector<LexSpec> parse_specs(const std::string& text) {
  std::vector<LexSpec> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, '|')) {
    LexSpec spec;
    std::vector<std::string> parts;
    std::stringstream is(item);
    std::string p;
    while (std::getline(is, p, ':')) parts.push_back(p);
    spec.kind = kind_of(parts.at(0));
    if (parts.size() > 1) spec.a = parts[1];
    if (parts.size() > 2) spec.b = parts[2];
    out.push_back(spec);
  }
  return out;
}

// 一次都没 -> 1次都没, 二开 -> 2开, 两次 -> 2次: the normalizer writes numerals as digits.
std::vector<std::string> digit_variants(const std::string& word) {
  static const std::map<char32_t, std::u32string> kDigits = {
      {U'一', U"1"}, {U'二', U"2"}, {U'两', U"2"}, {U'三', U"3"}, {U'四', U"4"}, {U'五', U"5"},
      {U'六', U"6"}, {U'七', U"7"}, {U'八', U"8"}, {U'九', U"9"}, {U'十', U"10"}};
  std::u32string u = to_u32(word);
  std::u32string v;
  bool changed = false;
  for (char32_t c : u) {
    auto it = kDigits.find(c);
    if (it != kDigits.end()) {
      v += it->second;
      changed = true;
    } else {
      v.push_back(c);
    }
  }
  if (!changed) return {};
  return {to_utf8(v)};
}

}  // namespace

std::string_view tok_kind_name(TokKind k) {
  switch (k) {
    case TokKind::Time:
      return "Time";
    case TokKind::Marker:
      return "Marker";
    case TokKind::Value:
      return "Value";
    case TokKind::Field:
      return "Field";
    case TokKind::Measure:
      return "Measure";
    case TokKind::Money:
      return "Money";
    case TokKind::Event:
      return "Event";
    case TokKind::Each:
      return "Each";
    case TokKind::Cmp:
      return "Cmp";
    case TokKind::Num:
      return "Num";
    case TokKind::Neg:
      return "Neg";
    case TokKind::Exclude:
      return "Exclude";
    case TokKind::Top:
      return "Top";
    case TokKind::QCount:
      return "QCount";
    case TokKind::QList:
      return "QList";
    case TokKind::QWhich:
      return "QWhich";
    case TokKind::QWhen:
      return "QWhen";
    case TokKind::QWhat:
      return "QWhat";
    case TokKind::QTimes:
      return "QTimes";
    case TokKind::Compare:
      return "Compare";
    case TokKind::Diff:
      return "Diff";
    case TokKind::Minus:
      return "Minus";
    case TokKind::New:
      return "New";
    case TokKind::Old:
      return "Old";
    case TokKind::SecondOpen:
      return "SecondOpen";
    case TokKind::Repurchase:
      return "Repurchase";
    case TokKind::Inactive:
      return "Inactive";
    case TokKind::Own:
      return "Own";
    case TokKind::Remaining:
      return "Remaining";
    case TokKind::Single:
      return "Single";
    case TokKind::Avg:
      return "Avg";
    case TokKind::Share:
      return "Share";
    case TokKind::Classifier:
      return "Classifier";
    case TokKind::Punct:
      return "Punct";
    case TokKind::ParenOpen:
      return "ParenOpen";
    case TokKind::ParenClose:
      return "ParenClose";
    case TokKind::Filler:
      return "Filler";
    case TokKind::Unknown:
      return "Unknown";
  }
  return "?";
}

DomainLexicon::DomainLexicon() {
  std::map<std::string, std::vector<LexSpec>> words;
  std::stringstream in(kTable);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto sp = line.rfind(' ');
    if (sp == std::string::npos) continue;
    const std::vector<LexSpec> specs = parse_specs(line.substr(sp + 1));
    const std::string list = line.substr(0, sp);
    std::vector<std::string> items;
    std::stringstream ls(list);
    std::string w;
    while (std::getline(ls, w, ',')) {
      if (!w.empty()) items.push_back(w);
    }
    for (const auto& w : items) {
      if (!words.count(w)) words[w] = specs;
      for (const auto& v : digit_variants(w))
        if (!words.count(v)) words[v] = specs;
    }
  }
  for (auto& [w, specs] : words) {
    max_chars_ = std::max(max_chars_, to_u32(w).size());
    entries_.push_back({w, std::move(specs)});
  }
}

const DomainLexicon& DomainLexicon::instance() {
  static const DomainLexicon kLexicon;
  return kLexicon;
}

const std::vector<LexSpec>* DomainLexicon::find(std::string_view word) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), word,
                             [](const Entry& e, std::string_view w) { return e.word < w; });
  if (it == entries_.end() || it->word != word) return nullptr;
  return &it->specs;
}

}  // namespace yimei::text2sql
