"""Yuanluo maps: the offline interactive HTML map (:mod:`yuanluo.maps.interactive`) and the print map."""
