/**
 * The fictional county used in demo mode: 清源县 and its townships. Names are invented; any
 * likeness to a real person is chance.
 */
export const COUNTY_NAME = '清源县';

export const DEMO_TOWNSHIPS: { code: string; name: string; villages: string[] }[] = [
  { code: '141099100', name: '城关镇', villages: ['东关社区', '西关社区', '南街社区', '北街社区', '王家庄村', '李家沟村'] },
  { code: '141099101', name: '河口镇', villages: ['河口村', '张家湾村', '刘家坪村', '渡口村', '新河村'] },
  { code: '141099102', name: '龙泉镇', villages: ['龙泉村', '赵庄村', '高家岭村', '泉水沟村', '后营村'] },
  { code: '141099103', name: '石门乡', villages: ['石门村', '前进村', '红星村', '石槽村'] },
  { code: '141099104', name: '柳林镇', villages: ['柳林村', '向阳村', '胜利村', '杨家庄村', '柳树湾村'] },
  { code: '141099105', name: '桃源乡', villages: ['桃源村', '和平村', '团结村', '桃花峪村'] },
  { code: '141099106', name: '青山镇', villages: ['青山村', '太平村', '长兴村', '松树坪村', '马家沟村'] },
  { code: '141099107', name: '白水乡', villages: ['白水村', '上河村', '下河村', '寨子村'] },
  { code: '141099108', name: '东湖街道', villages: ['东湖社区', '湖滨社区', '文化路社区', '建设路社区'] },
  { code: '141099109', name: '西城街道', villages: ['西城社区', '人民路社区', '新华社区', '府前社区'] },
  { code: '141099110', name: '马坊乡', villages: ['马坊村', '郭家庄村', '韩家堡村', '孙家寨村'] },
  { code: '141099111', name: '杏花镇', villages: ['杏花村', '冀村', '南安村', '北安村', '田家庄村'] },
];

/** The demo county's prefecture and province (fictional names; the province code is Shanxi's). */
export const DEMO_PROVINCE = { code: '140000', name: '山西省', bureauName: '山西省民政厅' };
export const DEMO_PREFECTURE = { code: '141000', name: '清川市', bureauName: '清川市民政局' };

export const DEMO_USERS: { username: string; displayName: string; role: 'admin' | 'operator' | 'supervisor' | 'liaison' | 'township'; township: string | null; region?: string }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' as const, township: null },
  { username: 'operator', displayName: '王丽', role: 'operator' as const, township: null },
  { username: 'supervisor', displayName: '陈建国', role: 'supervisor' as const, township: null },
  { username: 'liaison', displayName: '赵纪明', role: 'liaison' as const, township: null },
  { username: 'township1', displayName: '李晓梅', role: 'township' as const, township: '城关镇' },
  { username: 'township2', displayName: '刘卫东', role: 'township' as const, township: '河口镇' },
  // a supervisor of the prefecture above the demo county: reads, ranks and urges its counties
  { username: 'shi', displayName: '周振华', role: 'supervisor' as const, township: null, region: DEMO_PREFECTURE.code },
];

export const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'.split('');
export const GIVEN = '秀英 桂英 秀兰 玉兰 桂兰 淑珍 凤英 建华 建国 建军 志强 志明 国华 国强 海燕 丽华 春梅 冬梅 红霞 卫东 卫国 德福 德胜 永福 永贵 金花 翠花 明亮 小红 文斌 宝山 长林 玉珍 淑芬 二牛 满仓 来福 水生 天佑 兰芳'.split(' ');

/** Content templates: {v} village, {s} subject, {n} a number, {m} month. */
export const TEMPLATES: Record<string, { program?: string; problemTypes?: string[]; subjectPost?: string; text: string[] }[]> = {
  helpRequest: [
    { program: 'ruralDibao', text: ['本人家住{v}，老伴去年病故，本人患有高血压和腰椎病，无劳动能力，儿子在外务工收入不稳定，申请办理农村低保。', '来电人反映家中{n}口人，丈夫因车祸瘫痪在床，两个孩子上学，家庭收入仅靠种地，生活十分困难，请求纳入低保。'] },
    { program: 'urbanDibao', text: ['来电人系{v}居民，下岗多年靠打零工为生，近期确诊糖尿病需长期服药，询问并申请城市低保。', '本人离异独自抚养孩子，在超市做临时工月收入一千余元，房租负担重，申请城市低保。'] },
    { program: 'temporaryAssistance', text: ['来电人家中上月突发火灾，房屋烧毁大半，衣物粮食全部损毁，目前借住亲戚家，申请临时救助。', '本人儿子突发白血病在省城住院治疗，已花费医疗费{n}万余元，家庭无力承担，申请临时救助。', '来电人反映其父亲在外务工时受伤，工地老板拖欠工资，家中断粮，请求临时救助。'] },
    { program: 'tekunDispersed', text: ['来电人反映{v}的孤寡老人，今年8{n}岁，无儿无女，独自居住在危旧房中，生活不能自理，请求认定特困供养。'] },
    { program: 'tekunCentralized', text: ['本人年老体弱，无法定赡养人，希望入住乡敬老院集中供养，询问办理流程并提出申请。'] },
    { program: 'dibaoEdge', text: ['来电人家庭收入略高于低保标准，但妻子患尿毒症每周透析，支出巨大，申请认定低保边缘家庭。'] },
    { program: 'expenditureHardship', text: ['来电人反映女儿考上大学，学费住宿费共计{n}千元，家中刚给老人做完手术，申请支出型困难家庭救助。'] },
  ],
  complaint: [
    { program: 'ruralDibao', problemTypes: ['favouritism'], subjectPost: '村主任', text: ['举报{v}村主任{s}优亲厚友，将其弟弟一家纳入低保，其弟家有小轿车和门面房，明显不符合条件，而村里真正困难的户却没有享受。', '反映{v}村干部{s}搞人情保，给自己的亲戚办了低保，村里群众意见很大，评议时也没有张榜公示。'] },
    { program: 'ruralDibao', problemTypes: ['bribery'], subjectPost: '村会计', text: ['举报{v}村会计{s}在办理低保时向群众索要“辛苦费”{n}百元，不给钱就不给报材料。', '来电人反映办理低保时被村干部{s}暗示要请吃饭送礼，否则材料“不好往上报”。'] },
    { program: 'urbanDibao', problemTypes: ['opaqueHandling'], subjectPost: '社区主任', text: ['反映{v}评议低保不公开，没有召开民主评议会，名单是社区主任{s}一个人定的，群众不知情。'] },
    { program: 'tekunDispersed', problemTypes: ['embezzlement'], subjectPost: '村支书', text: ['举报{v}村支书{s}截留特困人员的供养金，老人的存折一直由其保管，每月只给老人几百元。', '反映{v}有人虚报冒领救助金，已经去世的人名下还在领低保，钱被{s}领走了。'] },
    { program: 'ruralDibao', problemTypes: ['excluded'], text: ['来电人反映其家庭符合低保条件，去年已提交申请，至今无人入户调查，也没有书面答复，属于应保未保。'] },
    { program: 'ruralDibao', problemTypes: ['wronglyIncluded'], subjectPost: '村民', text: ['反映{v}村民{s}家在县城有两套楼房，儿子开货车跑运输，却一直享受低保，属于错保。'] },
    { program: 'ruralDibao', problemTypes: ['paidAfterDeathOrPrison'], text: ['反映{v}一低保户已于{m}月去世，家属仍在领取低保金，至今未停发。', '反映{v}有一名服刑人员名下的低保金仍在发放。'] },
    { program: 'tekunDispersed', problemTypes: ['latePayment'], text: ['来电人反映其母亲的特困供养金已经{n}个月没有到账，询问村里和乡里都说不清楚。'] },
    { program: 'temporaryAssistance', problemTypes: ['overdueHandling'], subjectPost: '乡镇民政助理员', text: ['来电人反映两个月前申请临时救助，乡民政办一直说在走程序，超过了规定时限仍未办结，也没有书面告知。'] },
    { program: 'ruralDibao', problemTypes: ['singlePersonEnrolment'], text: ['反映{v}将重病的父亲单独纳入低保（单人保），而全家其他成员同样困难却未整户纳入。'] },
    { program: 'ruralDibao', problemTypes: ['privacyLeak'], text: ['反映村委会公示栏公示低保名单时公开了群众的身份证号码和病情，泄露个人隐私。'] },
    { program: 'urbanDibao', problemTypes: ['attitude'], subjectPost: '工作人员', text: ['来电人反映到便民服务中心咨询低保政策，工作人员{s}态度生硬，脸难看话难听，推诿扯皮让其来回跑了三趟。'] },
  ],
  consultation: [
    { program: 'ruralDibao', text: ['咨询农村低保的申请条件和需要准备的材料，以及多长时间能办下来。', '咨询家中有人外出务工，收入如何计算，是否影响低保资格。'] },
    { program: 'temporaryAssistance', text: ['咨询临时救助的标准是多少，一年可以申请几次。'] },
    { program: 'tekunCentralized', text: ['咨询特困人员集中供养的条件，敬老院是否收取费用。'] },
    { program: 'urbanDibao', text: ['咨询今年城市低保标准是否上调，每月什么时候发放。'] },
  ],
  suggestion: [
    { program: 'other', text: ['建议乡镇在便民服务中心设置救助政策公示栏，并公布投诉电话，方便群众监督。', '建议低保年审时简化材料，老年人跑腿困难，可以由村里代办。'] },
    { program: 'ruralDibao', text: ['建议低保评议时邀请村民代表全程参与并录像，确保公开公正。'] },
  ],
};
