"""Signed sync packages between commune offices and the province, in three packages: ``package``
(the format and its verification, pure), ``trust`` (keys, enrolment, the province's trust root) and
``exchange`` (export, import, conflicts, consolidation). This file imports none of them, so that
start-up loads no sync code.
"""
