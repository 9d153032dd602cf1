#!/usr/bin/env python3
"""The JSON bodies of the review benchmark (docs/benchmarks.md, issue 6): a template like the
starter one, and a cycle over the whole organization for a goal period with today in the self
review stage.

usage: inputs.py template
       inputs.py cycle <period id> <template id> <period start YYYY-MM-DD>
"""
import datetime
import json
import sys


def template():
    item = lambda section, title, weight=None: {"section": section, "title": title, "description": "", "weight": weight, "required": True}
    return {
        "name": "基准测试模板",
        "formula": "0.6*goals + 0.4*competencies",
        "weights": {"self": 10, "manager": 70, "peers": 20, "upward": 0},
        "peers_min": 2,
        "peers_max": 5,
        "items": [
            item("goals", "本期目标"),
            item("competencies", "专业能力", 30),
            item("competencies", "执行力", 30),
            item("competencies", "协作沟通", 20),
            item("competencies", "学习成长", 20),
            item("values", "价值观践行"),
            item("text", "下一周期最需要加强的能力"),
        ],
    }


def cycle(period, template_id, period_start):
    today = max(datetime.date.today(), datetime.date.fromisoformat(period_start))
    d = lambda days: (today + datetime.timedelta(days=days)).isoformat()
    s = lambda stage, a, b: {"stage": stage, "opens_on": d(a), "closes_on": d(b)}
    return {
        "name": "基准测试考核",
        "period_id": period,
        "template_id": template_id,
        "stages": [
            s("self_review", 0, 6), s("peer_nomination", 0, 1), s("peer_review", 0, 8),
            s("manager_review", 0, 10), s("calibration", 11, 13), s("release", 15, 15),
            s("acknowledgement", 15, 19), s("appeals", 15, 22),
        ],
    }


if sys.argv[1] == "template":
    print(json.dumps(template(), ensure_ascii=False))
else:
    print(json.dumps(cycle(*sys.argv[2:5]), ensure_ascii=False))
