"""The delineator's stages, one module each, sharing one :class:`~.problem.DelineationProblem`.

``problem`` (the problem object, settings, node graph) → ``prepare`` (hid order, nesting, locations,
island joins, settlements) → ``construct`` (spanning-forest DP) → ``repair`` (parts below the floor) →
``rescue`` (regions re-cut, exact MILP) → ``improve`` (local search, merge–resplit) → ``bounds`` (exact
bounds) → ``result`` (tables, reasons, problems). ``params`` holds the estimator's parameter constraints,
``reasons`` renders a unit's reason code and parameters in zh or en.
:class:`yuanluo.gis.cluster.UnitDelineator` runs them in that order.
"""
