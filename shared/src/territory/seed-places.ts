/**
 * The places the source article names (docs/domain.md "The territory"), placed in the demo territory. The seeder puts
 * 永和社区 in 水泊寺街道 and draws these points inside it; the server's seeder tests check that each
 * point locates into the community given here. Other modules' tests use them for "a point in
 * 永和社区". 永和社区's boundaries, like every community's in demo data, are synthetic.
 */
export const SEED_PLACES = {
  /** 永和社区, 水泊寺街道: the community residents turned to in the seed's testing-point story. */
  yongheCommunity: {
    name: '永和社区',
    communityCode: '140213066001',
    streetCode: '140213066',
    point: { lat: 40.0575, lng: 113.2943 }
  },
  /** 绿地世纪城小区, in 永和社区: where residents asked for a testing point in the afternoon and got it the next evening. */
  lvdiShijicheng: {
    name: '绿地世纪城',
    kind: '小区',
    communityCode: '140213066001',
    streetCode: '140213066',
    point: { lat: 40.0578, lng: 113.2988 }
  },
  /** 御龙庭三期小区, one of the district's first five "最美小区"; its community here is synthetic. */
  yulongting3: {
    name: '御龙庭三期',
    kind: '小区',
    communityCode: '140213057003',
    streetCode: '140213057',
    point: { lat: 40.0925, lng: 113.2803 }
  }
} as const
