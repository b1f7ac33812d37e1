"""The real files the fuzz suite mutates: shipped examples, and small tables written here."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PLUGINS = REPO / "plugins"

FRAMEWORK_YAML = (PLUGINS / "banyuasin/src/cityeval_banyuasin/data/banyuasin.yaml").read_text()
MASTERPLAN_YAML = (PLUGINS / "banyuasin/src/cityeval_banyuasin/data/masterplan.yaml").read_text()
ROUND_YAML = (
    PLUGINS / "banyuasin/src/cityeval_banyuasin/data/rounds/2019-tahap-3.yaml"
).read_text()
CROSSWALK_YAML = (
    PLUGINS / "giffinger/src/cityeval_giffinger/data/gerakan100-to-giffinger-2007.yaml"
).read_text()
PIPELINE_YAML = (REPO / "docs/examples/asem-pipeline.yaml").read_text()
SPEC_YAML = (REPO / "docs/examples/asem-uncertainty.yaml").read_text()

#: A framework with every kind of scale, and data for it.
SCALES_YAML = """\
id: scales
name: Scales
levels: [dimension, indicator]
dimensions:
  - id: d
    label: D
    indicators:
      - {id: pct, label: Share, scale: {kind: percentage}}
      - id: lvl
        label: Level
        scale:
          kind: ordinal
          levels: [{value: 1, label: a}, {value: 2, label: b}, {value: 3, label: c}]
      - {id: done, label: Done, scale: {kind: binary}}
      - {id: km, label: Road, bounds: {lower: 0, upper: 60}}
      - {id: free, label: Change, scale: {kind: percentage}, unbounded: true}
      - {id: pop, label: Persons, denominator: Area}
"""
DATA_CSV = """\
unit,name,group:province,denominator:Area,pct,lvl,done,km,free,pop
1601,Ogan Komering Ulu,16,4797.06,45.5,2,1,12.5,150,300000
1602,Ogan Komering Ilir,16,17058.32,60,3,0,59.9,-20,800000
1603,Muara Enim,16,7383.9,NA,1,1,0,,600000
1607,Banyuasin,16,11832.99,100,2,0,60,3.5,830000
"""

IMETA_CSV = """\
Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type
1,LPI,Logistics,1,1,Score,4.1,,Conn,Indicator
1,Flights,Flights,1,1,Seats,200,Population,Conn,Indicator
1,CO2,Emissions,-1,1,t,5,,Sust,Indicator
2,Conn,Connectivity,1,1,,,,Index,Aggregate
2,Sust,Sustainability,1,1,,,,Index,Aggregate
3,Index,Index,1,1,,,,,Aggregate
,Population,Population,,,,,,,Denominator
,GDP_group,GDP group,,,,,,,Group
"""
IDATA_CSV = """\
uName,uCode,GDP_group,Time,Population,LPI,Flights,CO2
Austria,AUT,L,2018,8735.4,4.09,29.0,7.1
Belgium,BEL,L,2018,11429.3,4.04,31.3,8.3
Bulgaria,BGR,S,2018,7025.0,2.80,9.2,6.0
"""
